import { Controller, Get, Inject, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '../../access/access.decorators';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { AuthThrottlerGuard } from '../auth-throttler.guard';
import { IdentityThrottlerGuard } from '../identity-throttler.guard';
import { safeReturnTo } from '../saml/return-to';
import type { SsoLogin } from '../saml/sso-identity';
import { AuthCookies } from '../sessions/auth-cookies';
import { SsoLoginService } from '../sso-login.service';
import { OidcCallbackGuard } from './oidc-callback.guard';
import { OidcCookie } from './oidc-cookie';
import { OidcLoginService } from './oidc-login.service';

/** Sign-in over OpenID Connect (authorization code flow with PKCE): public routes. */
@Controller('auth/oidc')
export class OidcController {
  constructor(
    private readonly oidc: OidcLoginService,
    private readonly logins: SsoLoginService,
    private readonly cookies: AuthCookies,
    private readonly pending: OidcCookie,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Starts a login: 302 to the provider's authorization endpoint. */
  @Public()
  @UseGuards(AuthThrottlerGuard)
  @Get('login')
  async login(@Query('returnTo') returnTo: unknown, @Res() res: Response) {
    const { redirect, pendingLogin } = await this.oidc.start(
      safeReturnTo(returnTo, this.config.publicUrl),
    );
    this.pending.set(res, pendingLogin);
    res.redirect(302, redirect);
  }

  /**
   * The redirect URI. Two budgets, in order: the client's, before the callback is read; then
   * the identity's, once OidcCallbackGuard has verified the ID token.
   */
  @Public()
  @UseGuards(AuthThrottlerGuard, OidcCallbackGuard, IdentityThrottlerGuard)
  @Get('callback')
  async callback(@Req() req: Request & { user?: SsoLogin }, @Res() res: Response) {
    const { token, returnTo } = await this.logins.complete(req.user!, {
      ip: req.ip,
      userAgent: req.get('user-agent'),
    });
    // A new token for the new session (no fixation).
    res.cookie(this.cookies.sessionName, token, this.cookies.sessionOptions());
    res.redirect(303, returnTo);
  }
}
