import { timingSafeEqual } from 'node:crypto';
import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { AttestRequest } from './principal';

export const SKIP_CSRF = 'attest:skip-csrf';

/**
 * For POSTs that carry their own proof of origin instead: the SAML ACS (a signed response
 * answering a request bound to this browser) and the demo IdP's own forms.
 */
export const SkipCsrf = () => SetMetadata(SKIP_CSRF, true);

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Every state-changing request in a session must echo the session's CSRF token, as the form
 * field `_csrf` or the `X-CSRF-Token` header. Without a session there is nothing to forge.
 */
@Injectable()
export class CsrfGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request & AttestRequest>();
    if (SAFE_METHODS.has(req.method)) return true;
    if (
      this.reflector.getAllAndOverride<boolean>(SKIP_CSRF, [
        context.getHandler(),
        context.getClass(),
      ])
    ) {
      return true;
    }
    if (!req.principal) return true;
    const body = req.body as Record<string, unknown> | undefined;
    const sent = body?._csrf ?? req.headers['x-csrf-token'];
    if (typeof sent === 'string' && sameToken(sent, req.principal.csrfToken)) return true;
    throw new ForbiddenException(
      'This form has expired or did not come from Attest. Go back, reload the page and try again.',
    );
  }
}
