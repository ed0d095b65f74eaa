import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Render, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { RequirePermission } from '../access/access.decorators';
import { CurrentPrincipal } from '../access/current-principal.decorator';
import { Permission } from '../access/permission';
import type { Principal } from '../access/principal';
import { toCsv } from '../common/csv/csv';
import { sendCsv } from '../common/csv/send-csv';
import { parseDto } from '../common/validation/parse-dto';
import { parsePeriod } from './audit-period';
import { SampleFormSchema } from './dto/sample-form.dto';
import { SAMPLE_CSV_HEADER, type SampleView, SamplesService } from './samples.service';

/** Recorded random samples: drawn from the populations page, shown with their seed. */
@ApiExcludeController()
@Controller('auditors/samples')
export class SamplesController {
  constructor(private readonly samples: SamplesService) {}

  @RequirePermission(Permission.SampleCreate)
  @Post()
  async draw(
    @CurrentPrincipal() actor: Principal,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const form = parseDto(SampleFormSchema, body);
    const id = await this.samples.draw(actor, {
      population: form.population,
      period: parsePeriod(form.from, form.to),
      size: form.size,
      seed: form.seed,
    });
    res.redirect(303, `/auditors/samples/${id}`);
  }

  // Before ':id', which would otherwise take "<id>.csv" for an id.
  @RequirePermission(Permission.PersonRead)
  @Get(':id.csv')
  async csv(
    @CurrentPrincipal() actor: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Res() res: Response,
  ): Promise<void> {
    const { name, rows } = await this.samples.exportCsv(actor, id);
    sendCsv(res, name, toCsv(SAMPLE_CSV_HEADER, rows));
  }

  @RequirePermission(Permission.PersonRead)
  @Get(':id')
  @Render('auditors/sample')
  show(
    @CurrentPrincipal() actor: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<SampleView> {
    return this.samples.show(actor, id);
  }
}
