import { Controller, Get, Header, Inject, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '../../access/access.decorators';
import { SkipCsrf } from '../../access/csrf.guard';
import { AuditService } from '../../audit/audit.service';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { AuthThrottlerGuard } from '../auth-throttler.guard';
import { IdentityThrottlerGuard } from '../identity-throttler.guard';
import { AuthCookies } from '../sessions/auth-cookies';
import { SessionsService } from '../sessions/sessions.service';
import { inflateRedirectMessage } from './authn-request.parser';
import { SamlAcsGuard } from './saml-acs.guard';
import { SsoLoginService } from '../sso-login.service';
import type { SamlLogin } from './saml.strategy';
import { SamlService } from './saml.service';
import { safeReturnTo } from './return-to';

type AuthRequest = Request & { user?: SamlLogin };

/** Sign-in and single logout over SAML 2.0: stable, public routes (see the README). */
@Controller('auth')
export class SamlController {
  constructor(
    private readonly saml: SamlService,
    private readonly logins: SsoLoginService,
    private readonly sessions: SessionsService,
    private readonly cookies: AuthCookies,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Starts SP-initiated login: 302 to the IdP with an HTTP-Redirect AuthnRequest. */
  @Public()
  @UseGuards(AuthThrottlerGuard)
  @Get('saml/login')
  async login(@Query('returnTo') returnTo: unknown, @Req() req: Request, @Res() res: Response) {
    const binding = this.cookies.loginBinding(req, res);
    res.redirect(
      302,
      await this.saml.startLogin(binding, safeReturnTo(returnTo, this.config.publicUrl)),
    );
  }

  /**
   * The Assertion Consumer Service (HTTP-POST binding). Two budgets, in order: the client's,
   * before the response is read; then the identity's, once it has been validated.
   */
  @Public()
  @SkipCsrf()
  @UseGuards(AuthThrottlerGuard, SamlAcsGuard, IdentityThrottlerGuard)
  @Post('saml/acs')
  async acs(@Req() req: AuthRequest, @Res() res: Response) {
    const { token, returnTo } = await this.logins.complete(req.user!, {
      ip: req.ip,
      userAgent: req.get('user-agent'),
    });
    // A new token for the new session (no fixation); the login binding has done its job.
    res.cookie(this.cookies.sessionName, token, this.cookies.sessionOptions());
    this.cookies.clear(res, this.cookies.loginName);
    res.redirect(303, returnTo);
  }

  @Public()
  @Get('saml/metadata')
  @Header('Content-Type', 'application/samlmetadata+xml')
  metadata(): string {
    return this.saml.metadata();
  }

  /** IdP-initiated single logout, Redirect binding. */
  @Public()
  @UseGuards(AuthThrottlerGuard)
  @Get('saml/slo')
  async sloRedirect(@Req() req: Request, @Res() res: Response) {
    const query = req.query as Record<string, unknown>;
    if (typeof query.SAMLRequest !== 'string' || typeof query.Signature !== 'string') {
      return this.sloRefused(res);
    }
    try {
      // node-saml parses before it verifies: refuse a DOCTYPE first, as the ACS does.
      if (/<!DOCTYPE/i.test(inflateRedirectMessage(query.SAMLRequest))) return this.sloRefused(res);
      const originalQuery = req.originalUrl.split('?')[1] ?? '';
      const request = await this.saml.validateLogoutRequest({ query, originalQuery });
      return this.completeSlo(
        request,
        typeof query.RelayState === 'string' ? query.RelayState : '',
        res,
      );
    } catch {
      return this.sloRefused(res);
    }
  }

  /** IdP-initiated single logout, POST binding. */
  @Public()
  @SkipCsrf()
  @UseGuards(AuthThrottlerGuard)
  @Post('saml/slo')
  async sloPost(@Req() req: Request, @Res() res: Response) {
    const body = (req.body ?? {}) as Record<string, string>;
    if (typeof body.SAMLRequest !== 'string') return this.sloRefused(res);
    try {
      const xml = Buffer.from(body.SAMLRequest, 'base64').toString('utf8');
      if (/<!DOCTYPE/i.test(xml) || !/<(\w+:)?Signature[\s>]/.test(xml))
        return this.sloRefused(res);
      const request = await this.saml.validateLogoutRequest({ body });
      return this.completeSlo(request, body.RelayState ?? '', res);
    } catch {
      return this.sloRefused(res);
    }
  }

  private async completeSlo(
    request: { nameId: string; sessionIndex: string | undefined; profile: object },
    relayState: string,
    res: Response,
  ) {
    const ended = await this.sessions.endByNameId(request.nameId, request.sessionIndex);
    await this.audit.record({ action: 'auth.idp_logout', details: { sessions: ended.length } });
    const answer = await this.saml.logoutResponseUrl(request.profile, relayState);
    if (answer) return res.redirect(302, answer);
    res.render('auth/signed-out', { title: 'Signed out' });
  }

  private sloRefused(res: Response) {
    res.status(400).render('errors/error', {
      title: 'Logout request refused',
      status: 400,
      message: 'This logout request could not be verified.',
    });
  }
}
