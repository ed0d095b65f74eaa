import { Body, Controller, Get, Param, Post, Query, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { RequirePermission } from '../access/access.decorators';
import { CurrentPrincipal } from '../access/current-principal.decorator';
import { Permission } from '../access/permission';
import type { Principal } from '../access/principal';
import { parseDto } from '../common/validation/parse-dto';
import { MeService } from '../people/me.service';
import { requestContextOf } from '../signatures/signing-evidence';
import { SigningInputInvalid } from './documents.errors';
import { DocumentsService, safeNext } from './documents.service';
import type { ConsentView, HistoryView, MyDocumentsView } from './documents.views';
import { documentIdParam, SignDocumentSchema, versionParam } from './dto/documents.dto';
import { EsignCeremony } from './esign-ceremony';
import { SigningService } from './signing.service';

/** Reading, consenting and signing: always as the signed-in person, never for anyone else. */
@Controller()
export class DocumentsController {
  constructor(
    private readonly documents: DocumentsService,
    private readonly ceremony: EsignCeremony,
    private readonly signing: SigningService,
    private readonly me: MeService,
  ) {}

  @RequirePermission(Permission.SelfRead)
  @Get('documents')
  @Render('documents/index')
  mine(@CurrentPrincipal() actor: Principal): Promise<MyDocumentsView> {
    return this.documents.mine(actor);
  }

  @RequirePermission(Permission.SelfRead)
  @Get('documents/consent')
  @Render('documents/consent')
  consentPage(
    @CurrentPrincipal() actor: Principal,
    @Query('next') next: unknown,
  ): Promise<ConsentView> {
    return this.documents.consentPage(actor, safeNext(next));
  }

  @RequirePermission(Permission.SelfRead)
  @Post('documents/consent')
  async consent(
    @CurrentPrincipal() actor: Principal,
    @Body() body: { agree?: unknown; next?: unknown },
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const next = safeNext(body?.next);
    if (body?.agree !== 'yes') {
      res.status(422).render('documents/consent', {
        ...(await this.documents.consentPage(actor, next)),
        error: 'Tick the box to consent, or close this page if you do not.',
      });
      return;
    }
    await this.ceremony.consent(actor, requestContextOf(req));
    res.redirect(303, next);
  }

  @RequirePermission(Permission.SelfRead)
  @Get('documents/:documentId')
  async read(
    @CurrentPrincipal() actor: Principal,
    @Param('documentId') documentId: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const view = await this.documents.read(
      actor,
      documentIdParam(documentId),
      undefined,
      requestContextOf(req),
    );
    res.render('documents/show', view);
  }

  @RequirePermission(Permission.SelfRead)
  @Get('documents/:documentId/versions/:version')
  async readVersion(
    @CurrentPrincipal() actor: Principal,
    @Param('documentId') documentId: string,
    @Param('version') version: string,
    @Query('signed') signed: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const view = await this.documents.read(
      actor,
      documentIdParam(documentId),
      versionParam(version),
      requestContextOf(req),
    );
    // Right after signing (the redirect below): the GOV.UK confirmation panel.
    if (signed === '1' && view.signature) {
      view.confirmation = await this.me.confirmation(
        actor,
        `You signed ${view.documentTitle}`,
        view.signature.id,
      );
    }
    res.render('documents/show', view);
  }

  /** Post/redirect/get: a reload or the back button never signs again. */
  @RequirePermission(Permission.SelfRead)
  @Post('documents/:documentId/versions/:version/signatures')
  async sign(
    @CurrentPrincipal() actor: Principal,
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
      const view = await this.documents.read(actor, id, undefined, context, {
        error: error.message,
        typedName: form.typedName,
      });
      res.status(422).render('documents/show', view);
      return;
    }
    res.redirect(303, `/documents/${id}/versions/${version}?signed=1`);
  }

  @RequirePermission(Permission.SelfRead)
  @Get('me/history')
  @Render('documents/history')
  history(@CurrentPrincipal() actor: Principal): Promise<HistoryView> {
    return this.documents.history(actor);
  }
}
