import { Controller, Get, Param, Query, Render, Res } from '@nestjs/common';
import type { Response } from 'express';
import { RequirePermission } from '../access/access.decorators';
import { CurrentPrincipal } from '../access/current-principal.decorator';
import { Permission } from '../access/permission';
import type { Principal } from '../access/principal';
import { sendCsv } from '../common/csv/send-csv';
import { documentIdParam } from './dto/documents.dto';
import { type DocumentReportIndexView, SignatureReportService } from './signature-report.service';

/** HR and auditors: every document, who signed which version, who is pending. */
@Controller('document-signatures')
export class SignatureReportController {
  constructor(private readonly reports: SignatureReportService) {}

  @RequirePermission(Permission.SignatureRead)
  @Get()
  @Render('documents/signatures-index')
  index(): Promise<DocumentReportIndexView> {
    return this.reports.index();
  }

  @RequirePermission(Permission.SignatureRead)
  @Get(':documentId')
  async show(
    @CurrentPrincipal() actor: Principal,
    @Param('documentId') documentId: string,
    @Query('format') format: unknown,
    @Res() res: Response,
  ): Promise<void> {
    const id = documentIdParam(documentId);
    if (format === 'csv')
      return sendCsv(res, `${id}-signatures`, await this.reports.csv(actor, id));
    res.render('documents/signatures', await this.reports.show(actor, id));
  }
}
