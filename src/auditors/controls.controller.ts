import { Controller, Get, Param, Query, Render, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { RequirePermission } from '../access/access.decorators';
import { CurrentPrincipal } from '../access/current-principal.decorator';
import { Permission } from '../access/permission';
import type { Principal } from '../access/principal';
import { parsePeriod, periodGiven } from './audit-period';
import { type ControlsView, ControlsService, EVIDENCE_CSV_HEADER } from './controls.service';
import { streamCsv } from '../common/csv/stream-csv';

/** Evidence by control, for an optional period. */
@ApiExcludeController()
@Controller('auditors/controls')
export class ControlsController {
  constructor(private readonly controls: ControlsService) {}

  @RequirePermission(Permission.RequirementRead)
  @Get()
  @Render('auditors/controls')
  overview(@Query() query: Record<string, unknown>): Promise<ControlsView> {
    const period = periodGiven(query.from, query.to)
      ? parsePeriod(query.from, query.to)
      : undefined;
    return this.controls.overview(period);
  }

  @RequirePermission(Permission.RequirementRead)
  @Get(':id.csv')
  async csv(
    @CurrentPrincipal() actor: Principal,
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const period = periodGiven(query.from, query.to)
      ? parsePeriod(query.from, query.to)
      : undefined;
    const rows = await this.controls.exportCsv(actor, id, period);
    const name = period ? `evidence-${id}-${period.from}-${period.to}` : `evidence-${id}`;
    await streamCsv(res, name, EVIDENCE_CSV_HEADER, rows);
  }
}
