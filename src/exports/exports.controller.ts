import {
  Body,
  Controller,
  Get,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Render,
  Req,
  Res,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { RequirePermission } from '../access/access.decorators';
import { CurrentPrincipal } from '../access/current-principal.decorator';
import { Permission } from '../access/permission';
import type { Principal } from '../access/principal';
import { describeFilters, type ExportFilters, parseExportFilters } from './export-filters';
import { ExportDelivery } from './export-job.entity';
import { ExportFiltersInvalid, ExportNotFound } from './exports.errors';
import type { ExportRequester } from './export-job.lifecycle';
import { ExportsService, exportFileName } from './exports.service';
import { exportFormView, type ExportsPageView, type ExportView } from './exports.views';
import { sendExportFile, startZipDownload } from './zip-response';

const ID = new ParseUUIDPipe({ exceptionFactory: () => new ExportNotFound() });

function requesterOf(actor: Principal, req: Request & { id?: unknown }): ExportRequester {
  return {
    actorId: actor.personId,
    requestId: req.id === undefined ? null : String(req.id as string),
    ip: req.ip ?? null,
    userAgent: req.get('user-agent')?.slice(0, 512) ?? null,
  };
}

/**
 * Auditors' evidence exports: a form with filters and the recent exports; small exports come
 * back as the form's answer, large ones show their progress and then a download link.
 */
@ApiExcludeController()
@Controller('exports')
export class ExportsController {
  constructor(private readonly exports: ExportsService) {}

  @RequirePermission(Permission.ExportCreate)
  @Get()
  @Render('exports/index')
  async index(@CurrentPrincipal() actor: Principal): Promise<ExportsPageView> {
    const page = await this.exports.overview(actor.csrfToken);
    return { ...page, form: exportFormView(page) };
  }

  @RequirePermission(Permission.ExportCreate)
  @Post()
  async create(
    @CurrentPrincipal() actor: Principal,
    @Body() body: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const requester = requesterOf(actor, req);
    let filters: ExportFilters;
    let total: number;
    try {
      filters = parseExportFilters(body ?? {});
      // More than one export holds is refused here, beside the filters to narrow.
      total = await this.exports.count(filters);
    } catch (error) {
      if (!(error instanceof ExportFiltersInvalid)) throw error;
      return this.refuse(actor, res, body, { error: error.message });
    }
    // An export of nothing is no evidence of anything: say so instead of handing over an
    // empty ZIP, and keep the filters for changing them.
    if (total === 0) {
      return this.refuse(actor, res, body, {
        nothingMatched: Object.values(filters).every((v) => v === null)
          ? 'No sealed PDF has been issued yet, so there is nothing to export.'
          : `No sealed PDF matches these filters (${describeFilters(filters)}). Widen the dates or clear a filter, then export again.`,
      });
    }
    const started = await this.exports.request(requester, filters);
    if (started.delivery === ExportDelivery.Stored) {
      res.redirect(303, `/exports/${started.id}`);
      return;
    }
    const job = await this.exports.find(started.id);
    // The answer is the file itself, not a created resource.
    res.status(200);
    startZipDownload(res, exportFileName(job));
    await this.exports.stream(requester, started.id, res);
  }

  /** The form again, as typed, with what to change (GOV.UK error summary pattern). */
  private async refuse(
    actor: Principal,
    res: Response,
    typed: Record<string, unknown> | undefined,
    outcome: { error?: string; nothingMatched?: string },
  ): Promise<void> {
    const page = await this.exports.overview(actor.csrfToken);
    const view = { ...page, form: exportFormView(page, typed, outcome) };
    const title = outcome.error ? `Error: ${page.title}` : page.title;
    res.status(422).render('exports/index', { ...view, title });
  }

  @RequirePermission(Permission.ExportCreate)
  @Get(':id')
  @Render('exports/show')
  show(@Param('id', ID) id: string, @Query('refresh') refresh: unknown): Promise<ExportView> {
    return this.exports.show(id, { refresh: refresh !== 'off' });
  }

  @RequirePermission(Permission.ExportCreate)
  @Get(':id/download')
  async download(
    @CurrentPrincipal() actor: Principal,
    @Param('id', ID) id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await sendExportFile(res, await this.exports.download(requesterOf(actor, req), id));
  }
}
