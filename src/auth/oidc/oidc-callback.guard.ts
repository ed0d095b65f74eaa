import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { SignInFailed } from '../saml/saml-login.errors';
import type { SsoLogin } from '../saml/sso-identity';
import { SsoLoginService } from '../sso-login.service';
import { oidcReasonOf } from './oidc-login.errors';
import { OidcLoginService } from './oidc-login.service';
import { OidcCookie } from './oidc-cookie';

/**
 * Checks an OpenID Connect callback before the route runs, as SamlAcsGuard checks a SAML
 * response, so IdentityThrottlerGuard can then spend the identity's budget. Every refusal is
 * audited and answered with one plain page; the pending login is gone either way.
 */
@Injectable()
export class OidcCallbackGuard implements CanActivate {
  constructor(
    private readonly oidc: OidcLoginService,
    private readonly logins: SsoLoginService,
    private readonly cookie: OidcCookie,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request & { user?: SsoLogin }>();
    const res = context.switchToHttp().getResponse<Response>();
    const queryString = req.originalUrl.split('?')[1] ?? '';
    const pending = this.cookie.read(req);
    this.cookie.clear(res);
    try {
      req.user = await this.oidc.finish(queryString, pending);
      return true;
    } catch (error) {
      await this.logins.refused(oidcReasonOf(error), undefined, { method: 'oidc' });
      throw new SignInFailed();
    }
  }
}
