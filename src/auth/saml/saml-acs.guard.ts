import { type ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import { decodePostedResponse } from './saml-response.checks';
import { SamlLoginRefused, type SamlRefusalReason, SignInFailed } from './saml-login.errors';
import { SsoLoginService } from '../sso-login.service';

/** node-saml's own refusals, by message, mapped to audit reasons. */
function reasonOf(error: unknown): SamlRefusalReason {
  if (error instanceof SamlLoginRefused) return error.reason;
  const message = error instanceof Error ? error.message : '';
  if (/signature/i.test(message)) return 'signature';
  if (/audience/i.test(message)) return 'audience';
  if (/expired|NotBefore|NotOnOrAfter|too old|maxAssertionAge/i.test(message)) return 'expired';
  if (/status/i.test(message)) return 'status';
  if (/issuer/i.test(message)) return 'issuer';
  if (/assertion/i.test(message) && /more than one|multiple|count/i.test(message)) {
    return 'assertion_count';
  }
  return 'invalid_response';
}

/**
 * Runs the ACS through passport-saml's strategy. Before any XML parser sees the body, a
 * DOCTYPE refuses it (rule 5); every refusal is audited and answered with one plain page.
 */
@Injectable()
export class SamlAcsGuard extends AuthGuard('saml') {
  constructor(private readonly logins: SsoLoginService) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    try {
      decodePostedResponse((req.body as Record<string, unknown> | undefined)?.SAMLResponse);
      return (await super.canActivate(context)) as boolean;
    } catch (error) {
      await this.logins.refused(reasonOf(error));
      throw new SignInFailed();
    }
  }

  override handleRequest<T>(error: unknown, user: T): T {
    if (error) throw error;
    if (!user) throw new SamlLoginRefused('invalid_response');
    return user;
  }
}
