import { Controller, Get, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import type { Response } from 'express';
import { RequirePermission } from '../access/access.decorators';
import { CurrentPrincipal } from '../access/current-principal.decorator';
import { Permission } from '../access/permission';
import type { Principal } from '../access/principal';
import { DocumentNotFound } from '../documents/documents.errors';
import { AttestationFilesService } from './attestation-files.service';

const ID = new ParseUUIDPipe({ exceptionFactory: () => new DocumentNotFound() });

/** Sealed PDFs as issued: to their signer, and to HR and auditors. */
@Controller('attestations')
export class AttestationsController {
  constructor(private readonly files: AttestationFilesService) {}

  @RequirePermission(Permission.SelfRead)
  @Get(':id/pdf')
  async pdf(
    @CurrentPrincipal() actor: Principal,
    @Param('id', ID) id: string,
    @Res() res: Response,
  ): Promise<void> {
    const pdf = await this.files.pdf(actor, id);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `attachment; filename="attestation-${id}.pdf"`);
    res.send(pdf);
  }
}
