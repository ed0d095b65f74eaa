import { Controller, Get, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import type { Response } from 'express';
import { RequirePermission } from '../access/access.decorators';
import { CurrentPrincipal } from '../access/current-principal.decorator';
import { Permission } from '../access/permission';
import type { Principal } from '../access/principal';
import { AttestationNotFound } from './attestations.errors';
import { AttestationFilesService } from './attestation-files.service';
import { ComplianceSummaryService } from './compliance-summary.service';

const ID = new ParseUUIDPipe({ exceptionFactory: () => new AttestationNotFound() });

function sendPdf(res: Response, name: string, pdf: Buffer): void {
  res.setHeader('Content-Type', 'application/pdf');
  res.setHeader('Content-Disposition', `attachment; filename="${name}.pdf"`);
  res.send(pdf);
}

/** Sealed PDFs: attestations as issued, and compliance summaries sealed when asked for. */
@Controller()
export class AttestationsController {
  constructor(
    private readonly files: AttestationFilesService,
    private readonly summaries: ComplianceSummaryService,
  ) {}

  @RequirePermission(Permission.SelfRead)
  @Get('me/compliance-summary')
  async mySummary(@CurrentPrincipal() actor: Principal, @Res() res: Response): Promise<void> {
    sendPdf(res, 'compliance-summary', await this.summaries.summary(actor, actor.personId));
  }

  @RequirePermission(Permission.RequirementRead)
  @Get('people/:id/compliance-summary')
  async personSummary(
    @CurrentPrincipal() actor: Principal,
    @Param('id', ID) id: string,
    @Res() res: Response,
  ): Promise<void> {
    sendPdf(res, `compliance-summary-${id}`, await this.summaries.summary(actor, id));
  }

  @RequirePermission(Permission.SelfRead)
  @Get('attestations/:id/pdf')
  async pdf(
    @CurrentPrincipal() actor: Principal,
    @Param('id', ID) id: string,
    @Res() res: Response,
  ): Promise<void> {
    sendPdf(res, `attestation-${id}`, await this.files.pdf(actor, id));
  }
}
