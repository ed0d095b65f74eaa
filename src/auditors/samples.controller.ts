import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Render, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { RequirePermission } from '../access/access.decorators';
import { CurrentPrincipal } from '../access/current-principal.decorator';
import { Permission } from '../access/permission';
import type { Principal } from '../access/principal';
import { toCsv } from '../common/csv/csv';
import { sendCsv } from '../common/csv/send-csv';
import { type AuditPeriod, parsePeriod } from './audit-period';
import { SampleNotFound, SampleTooLarge } from './auditors.errors';
import { SampleFormSchema } from './dto/sample-form.dto';
import { PopulationsService, type SampleFormState } from './populations.service';
import { SAMPLE_CSV_HEADER, type SampleView, SamplesService } from './samples.service';

/** A malformed id answers as a sample that does not exist, in words. */
const SAMPLE_ID = new ParseUUIDPipe({ exceptionFactory: () => new SampleNotFound() });

/** Recorded random samples: drawn from the populations page, shown with their seed. */
@ApiExcludeController()
@Controller('auditors/samples')
export class SamplesController {
  constructor(
    private readonly samples: SamplesService,
    private readonly populations: PopulationsService,
  ) {}

  /**
   * Draws a sample. A form that cannot be drawn comes back as the populations page with the
   * problem beside its field and what was typed kept (GOV.UK error summary pattern).
   */
  @RequirePermission(Permission.SampleCreate)
  @Post()
  async draw(
    @CurrentPrincipal() actor: Principal,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    // The period comes from hidden fields the populations page filled: a bad one is not a typo.
    const period = parsePeriod(body?.from, body?.to);
    const typed = {
      population: typeof body?.population === 'string' ? body.population : undefined,
      size: typeof body?.size === 'string' ? body.size : undefined,
      seed: typeof body?.seed === 'string' ? body.seed : undefined,
    };
    const parsed = SampleFormSchema.safeParse(body ?? {});
    if (!parsed.success) {
      const errors: SampleFormState['errors'] & object = {};
      for (const issue of parsed.error.issues) {
        const field = issue.path[0];
        if ((field === 'population' || field === 'size' || field === 'seed') && !errors[field]) {
          errors[field] = issue.message;
        }
      }
      return this.refuse(res, actor, period, { ...typed, errors });
    }
    const form = parsed.data;
    try {
      const id = await this.samples.draw(actor, {
        population: form.population,
        period,
        size: form.size,
        seed: form.seed,
      });
      res.redirect(303, `/auditors/samples/${id}`);
    } catch (error) {
      if (!(error instanceof SampleTooLarge)) throw error;
      return this.refuse(res, actor, period, { ...typed, errors: { size: error.message } });
    }
  }

  private async refuse(
    res: Response,
    actor: Principal,
    period: AuditPeriod,
    form: SampleFormState,
  ): Promise<void> {
    const view = await this.populations.overview(actor, period, form);
    res.status(422).render('auditors/populations', { ...view, title: `Error: ${view.title}` });
  }

  // Before ':id', which would otherwise take "<id>.csv" for an id.
  @RequirePermission(Permission.PersonRead)
  @Get(':id.csv')
  async csv(
    @CurrentPrincipal() actor: Principal,
    @Param('id', SAMPLE_ID) id: string,
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
    @Param('id', SAMPLE_ID) id: string,
  ): Promise<SampleView> {
    return this.samples.show(actor, id);
  }
}
