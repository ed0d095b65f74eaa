import { Controller, Get, Param, Query, Render, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { RequirePermission } from '../access/access.decorators';
import { CurrentPrincipal } from '../access/current-principal.decorator';
import { Permission } from '../access/permission';
import type { Principal } from '../access/principal';
import { parsePeriod, periodGiven } from './audit-period';
import { parsePopulation } from './population';
import {
  POPULATION_CSV_HEADER,
  type PopulationsView,
  PopulationsService,
} from './populations.service';
import { streamCsv } from '../common/csv/stream-csv';

/** Auditors' populations: who joined, who left, who was active in a period. */
@ApiExcludeController()
@Controller('auditors/populations')
export class PopulationsController {
  constructor(private readonly populations: PopulationsService) {}

  @RequirePermission(Permission.PersonRead)
  @Get()
  @Render('auditors/populations')
  overview(
    @CurrentPrincipal() actor: Principal,
    @Query() query: Record<string, unknown>,
  ): Promise<PopulationsView> {
    const period = periodGiven(query.from, query.to)
      ? parsePeriod(query.from, query.to)
      : undefined;
    return this.populations.overview(actor, period);
  }

  @RequirePermission(Permission.PersonRead)
  @Get(':population.csv')
  async csv(
    @CurrentPrincipal() actor: Principal,
    @Param('population') name: string,
    @Query() query: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const population = parsePopulation(name);
    const period = parsePeriod(query.from, query.to);
    const rows = await this.populations.exportCsv(actor, population, period);
    await streamCsv(res, `${population}-${period.from}-${period.to}`, POPULATION_CSV_HEADER, rows);
  }
}
