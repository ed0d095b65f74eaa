import { createHmac } from 'node:crypto';
import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import {
  InjectThrottlerStorage,
  ThrottlerException,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { AuditService } from '../audit/audit.service';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { RATE_LIMIT_AUDIT_WINDOW_MS } from './auth-throttler.guard';
import type { SsoLogin } from './saml/sso-identity';

export const IDENTITY_THROTTLER = 'identity';
const WINDOW_MS = 60_000;

/**
 * The identity a response names, as the throttler and the audit log know it: an HMAC under
 * SESSION_SECRET, so the log holds no NameID (often an email) and cannot be searched for a
 * guessed one.
 */
export function identityKey(login: SsoLogin, secret: string): string {
  return createHmac('sha256', secret)
    .update(`sign-in-identity:${login.identity.idpEntityId}\n${login.identity.nameId}`)
    .digest('hex');
}

/**
 * The sign-in budget of the person signing in, beside the client's own (AuthThrottlerGuard):
 * once the ACS (or the OIDC callback) has validated a response, the identity it names (IdP issuer and NameID) may
 * complete AUTH_IDENTITY_RATE_LIMIT sign-ins a minute, from whatever clients. A client that
 * spends its own budget leaves everyone else's alone, and one identity signing in over and over
 * spends no client's budget for another identity. A refusal answers 429 with Retry-After and is
 * audited once per identity and client address per hour, like every rate-limit refusal.
 */
@Injectable()
export class IdentityThrottlerGuard implements CanActivate {
  constructor(
    @InjectThrottlerStorage() private readonly storage: ThrottlerStorage,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request & { user?: SsoLogin }>();
    // Runs after SamlAcsGuard or OidcCallbackGuard, which refuse any response it did not validate.
    if (!req.user) return true;
    const identity = identityKey(req.user, this.config.secrets.sessionSecret);
    const limit = this.config.authIdentityRateLimit;
    const { isBlocked, timeToBlockExpire } = await this.storage.increment(
      `${IDENTITY_THROTTLER}:sign-in:${identity}`,
      WINDOW_MS,
      limit,
      WINDOW_MS,
      IDENTITY_THROTTLER,
    );
    if (!isBlocked) return true;
    const res = context.switchToHttp().getResponse<Response>();
    res.setHeader('Retry-After', String(Math.max(1, Math.ceil(timeToBlockExpire))));
    await this.audit.recordOncePer(RATE_LIMIT_AUDIT_WINDOW_MS, {
      action: 'auth.rate_limited',
      actorId: null,
      subjectType: 'sso_identity',
      subjectId: identity,
      details: { path: req.path, limit: IDENTITY_THROTTLER },
    });
    throw new ThrottlerException(
      `This account has signed in ${limit} times in the last minute, the most allowed. Wait a minute, then sign in again.`,
    );
  }
}
