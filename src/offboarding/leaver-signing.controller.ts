import { Body, Controller, Get, Header, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public, RequirePermission } from '../access/access.decorators';
import { SkipCsrf } from '../access/csrf.guard';
import { CurrentPrincipal } from '../access/current-principal.decorator';
import { Permission } from '../access/permission';
import { parseDto } from '../common/validation/parse-dto';
import { SigningInputInvalid } from '../documents/documents.errors';
import { DocumentsService } from '../documents/documents.service';
import { documentIdParam, SignDocumentSchema, versionParam } from '../documents/dto/documents.dto';
import { EsignCeremony } from '../documents/esign-ceremony';
import { requestContextOf } from '../signatures/signing-evidence';
import { LeaverSigningService } from './leaver-signing.service';
import { LeaverCookie } from './leaver-session.middleware';
import type { LinkPrincipal } from './signing-links.service';
import { SigningLinksService } from './signing-links.service';

/** No navigation: the link opens nothing but these pages. */
const LAYOUT = 'layouts/leaving';

/**
 * A leaver's one-time signing link: everything under /leaving. Only here does a link's
 * session exist (leaver-session.middleware.ts), and every route but the link's own landing
 * and the closing page needs LeaverSign, which nothing else grants.
 */
@Controller('leaving')
export class LeaverSigningController {
  constructor(
    private readonly links: SigningLinksService,
    private readonly signing: LeaverSigningService,
    private readonly documents: DocumentsService,
    private readonly ceremony: EsignCeremony,
    private readonly cookie: LeaverCookie,
  ) {}

  /** A GET opens nothing, so a mail scanner fetching the link does not use it up. */
  @Public()
  @Get('links/:secret')
  @Header('Cache-Control', 'no-store')
  @Header('Referrer-Policy', 'no-referrer')
  async landing(@Param('secret') secret: string, @Res() res: Response): Promise<void> {
    const usable = await this.links.isOpenable(secret);
    res.status(usable ? 200 : 404).render('offboarding/link-landing', {
      layout: LAYOUT,
      title: 'Sign before you go',
      usable,
      action: `/leaving/links/${encodeURIComponent(secret)}`,
    });
  }

  /** The link's secret is its own proof of origin; no session exists yet to forge. */
  @Public()
  @SkipCsrf()
  @Post('links/:secret')
  @Header('Cache-Control', 'no-store')
  @Header('Referrer-Policy', 'no-referrer')
  async openLink(
    @Param('secret') secret: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const value = await this.links.open(secret, requestContextOf(req));
    this.cookie.set(res, value);
    res.redirect(303, '/leaving');
  }

  @RequirePermission(Permission.LeaverSign)
  @Get()
  async home(@CurrentPrincipal() actor: LinkPrincipal, @Res() res: Response): Promise<void> {
    res.render('offboarding/leaver-home', { layout: LAYOUT, ...(await this.signing.home(actor)) });
  }

  @RequirePermission(Permission.LeaverSign)
  @Get('consent')
  async consentPage(@CurrentPrincipal() actor: LinkPrincipal, @Res() res: Response): Promise<void> {
    const view = await this.documents.consentPage(actor, '/leaving');
    res.render('offboarding/leaver-consent', {
      layout: LAYOUT,
      ...view,
      csrfToken: actor.csrfToken,
    });
  }

  @RequirePermission(Permission.LeaverSign)
  @Post('consent')
  async consent(
    @CurrentPrincipal() actor: LinkPrincipal,
    @Body() body: { agree?: unknown },
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    if (body?.agree !== 'yes') {
      res.status(422).render('offboarding/leaver-consent', {
        layout: LAYOUT,
        ...(await this.documents.consentPage(actor, '/leaving')),
        error: 'Tick the box to consent, or close this page if you do not.',
      });
      return;
    }
    await this.ceremony.consent(actor, requestContextOf(req));
    res.redirect(303, '/leaving');
  }

  @RequirePermission(Permission.LeaverSign)
  @Get('documents/:documentId')
  async read(
    @CurrentPrincipal() actor: LinkPrincipal,
    @Param('documentId') documentId: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const view = await this.signing.read(actor, documentIdParam(documentId), requestContextOf(req));
    res.render('offboarding/leaver-document', { layout: LAYOUT, ...view });
  }

  /** Post/redirect/get to a page that needs no session: the link is spent once this commits. */
  @RequirePermission(Permission.LeaverSign)
  @Post('documents/:documentId/versions/:version/signatures')
  async sign(
    @CurrentPrincipal() actor: LinkPrincipal,
    @Param('documentId') documentId: string,
    @Param('version') version: string,
    @Body() body: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const id = documentIdParam(documentId);
    const form = parseDto(SignDocumentSchema, body);
    const context = requestContextOf(req);
    try {
      await this.signing.sign(
        actor,
        id,
        versionParam(version),
        { intent: form.intent === 'yes', typedName: form.typedName, submissionId: form.submission },
        context,
      );
    } catch (error) {
      if (!(error instanceof SigningInputInvalid)) throw error;
      const view = await this.signing.read(actor, id, context, {
        error: error.message,
        typedName: form.typedName,
      });
      res.status(422).render('offboarding/leaver-document', { layout: LAYOUT, ...view });
      return;
    }
    this.cookie.clear(res);
    res.redirect(303, '/leaving/done');
  }

  @Public()
  @Get('done')
  done(@Res() res: Response): void {
    this.cookie.clear(res);
    res.render('offboarding/leaver-done', { layout: LAYOUT, title: 'Thank you' });
  }
}
