import { Controller, Get, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '../access/access.decorators';
import type { AttestRequest } from '../access/principal';
import { AuditService } from '../audit/audit.service';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { safeReturnTo } from './saml/return-to';
import { AuthCookies } from './sessions/auth-cookies';
import { SessionsService } from './sessions/sessions.service';

/** The sign-in route of whichever protocol is configured, SAML or OpenID Connect. */
export function signInPath(config: AppConfig): string {
  return config.oidc ? '/auth/oidc/login' : '/auth/saml/login';
}

/** Sign-in and sign-out, whatever the protocol: links and pages need not know which one. */
@Controller('auth')
export class SignInController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly cookies: AuthCookies,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** 302 to the configured protocol's login, with the same (checked) return path. */
  @Public()
  @Get('login')
  login(@Query('returnTo') returnTo: unknown, @Res() res: Response) {
    const path = safeReturnTo(returnTo, this.config.publicUrl);
    res.redirect(302, `${signInPath(this.config)}?returnTo=${encodeURIComponent(path)}`);
  }

  /** Signs the person out everywhere. Harmless without a session, so it needs no sign-in. */
  @Public()
  @Post('logout')
  @HttpCode(200)
  async logout(@Req() req: Request & AttestRequest, @Res() res: Response) {
    if (req.principal) {
      // Signing out ends all of the person's sessions, not only this browser's.
      const { personId } = req.principal;
      await this.sessions.endAllFor(personId, 'logout', personId);
      await this.audit.record({ action: 'auth.logout', actorId: personId });
    }
    this.cookies.clear(res, this.cookies.sessionName);
    res.render('auth/signed-out', { title: 'Signed out' });
  }
}
