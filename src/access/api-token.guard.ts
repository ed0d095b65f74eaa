import {
  applyDecorators,
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  HttpException,
  HttpStatus,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ApiTokenRole } from '../api-tokens/api-token.entity';
import { SkipCsrf } from './csrf.guard';

export const API_TOKEN_ROLE = 'attest:api-token-role';

/** A machine calling /api/v1 with a bearer token, as {@link ApiTokenGuard} establishes it. */
export interface ApiClient {
  readonly tokenId: string;
  readonly name: string;
  readonly role: ApiTokenRole;
  /** What history and the audit log record as the actor: `integration:<token name>`. */
  readonly actorId: string;
}

export interface ApiRequest {
  apiClient?: ApiClient;
}

/** Finds the live (not revoked, not expired) token whose secret this is. */
export abstract class ApiTokenAuthenticator {
  abstract authenticate(secret: string): Promise<ApiClient | undefined>;
}

/**
 * Reachable only with a bearer API token of this role, never with a browser session. CSRF does
 * not apply: a browser never attaches the Authorization header on its own.
 */
export const ApiToken = (role: ApiTokenRole) =>
  applyDecorators(SetMetadata(API_TOKEN_ROLE, role), SkipCsrf());

/** No usable token. One message for missing, unknown, revoked and expired: nothing to probe. */
export class ApiTokenRequired extends HttpException {
  constructor() {
    super(
      'Send a valid API token as "Authorization: Bearer att_…". Ask an Attest administrator for a new one if yours expired or was revoked.',
      HttpStatus.UNAUTHORIZED,
    );
  }
}

const BEARER = /^Bearer (att_[A-Za-z0-9_-]{43})$/;

function declaredRole(reflector: Reflector, context: ExecutionContext): ApiTokenRole | undefined {
  return reflector.getAllAndOverride<ApiTokenRole | undefined>(API_TOKEN_ROLE, [
    context.getHandler(),
    context.getClass(),
  ]);
}

/**
 * Authenticates the bearer token on @ApiToken routes and sets `req.apiClient`; leaves every
 * other route alone, so a token never stands in for a session. Registered as a global guard
 * BEFORE AccessGuard, which then decides with {@link admitApiClient}.
 */
@Injectable()
export class ApiTokenGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: ApiTokenAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!declaredRole(this.reflector, context)) return true;
    const req = context
      .switchToHttp()
      .getRequest<ApiRequest & { headers: Record<string, unknown> }>();
    const header = req.headers.authorization;
    const secret = typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
    const client = secret ? await this.tokens.authenticate(secret) : undefined;
    if (!client) throw new ApiTokenRequired();
    req.apiClient = client;
    return true;
  }
}

/**
 * AccessGuard's answer for API routes: undefined when the route is not an @ApiToken route (the
 * session rules apply); true when the request's API client holds the declared role; otherwise
 * it throws. A browser session alone never passes an API route.
 */
export function admitApiClient(reflector: Reflector, context: ExecutionContext): true | undefined {
  const role = declaredRole(reflector, context);
  if (!role) return undefined;
  const client = context.switchToHttp().getRequest<ApiRequest>().apiClient;
  if (!client) throw new ApiTokenRequired();
  if (client.role !== role) throw new ForbiddenException('This API token may not use this route.');
  return true;
}
