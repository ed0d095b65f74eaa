import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import type { Response } from 'express';
import { RequirePermission } from '../access/access.decorators';
import { CurrentPrincipal } from '../access/current-principal.decorator';
import { Permission } from '../access/permission';
import { sendCsv } from '../common/csv/send-csv';
import type { Principal } from '../access/principal';
import { parseCursor, parseFilters } from './onboarding.filters';
import type { Grouping } from './onboarding.repository';
import { OnboardingService } from './onboarding.service';
import { PersonNotFound } from '../people/people.errors';
import { PersonPageService } from '../people/person-page.service';

const PERSON_ID = new ParseUUIDPipe({ exceptionFactory: () => new PersonNotFound() });

const GROUPINGS = new Set<Grouping>(['department', 'country', 'start_month']);

/** HR dashboards: onboarding completion, the overdue list, and waivers. */
@Controller('onboarding')
export class OnboardingController {
  constructor(
    private readonly onboarding: OnboardingService,
    private readonly personPage: PersonPageService,
  ) {}

  @RequirePermission(Permission.RequirementRead)
  @Get()
  async overview(@Query() query: Record<string, unknown>, @Res() res: Response): Promise<void> {
    const filters = parseFilters(query);
    if (query.format === 'csv') {
      const by = (query.by ?? 'department') as Grouping;
      if (!GROUPINGS.has(by))
        throw new BadRequestException('by must be department, country or start_month.');
      return sendCsv(res, `onboarding-by-${by}`, await this.onboarding.completionCsv(by, filters));
    }
    res.render('onboarding/index', await this.onboarding.overview(filters));
  }

  @RequirePermission(Permission.RequirementRead)
  @Get('overdue')
  async overdue(@Query() query: Record<string, unknown>, @Res() res: Response): Promise<void> {
    const filters = parseFilters(query);
    if (query.format === 'csv') {
      return sendCsv(res, 'overdue', await this.onboarding.overdueCsv(filters));
    }
    res.render(
      'onboarding/overdue',
      await this.onboarding.overdue(filters, parseCursor(query.after)),
    );
  }

  /** The person's record now lives on the one person page. */
  @RequirePermission(Permission.RequirementRead)
  @Get('people/:id')
  person(@Param('id', PERSON_ID) personId: string, @Res() res: Response): void {
    res.redirect(301, `/people/${personId}#requirements`);
  }

  /**
   * Waives one requirement, with a reason. Without one, the person page comes back with the
   * problem at the top and beside the field.
   */
  @RequirePermission(Permission.RequirementWaive)
  @Post('people/:id/waivers')
  async waive(
    @CurrentPrincipal() actor: Principal,
    @Param('id', PERSON_ID) personId: string,
    @Body() body: { requirementId?: unknown; cycle?: unknown; reason?: unknown },
    @Res() res: Response,
  ): Promise<void> {
    const cycle = Number(body.cycle);
    if (typeof body.requirementId !== 'string' || !Number.isInteger(cycle) || cycle < 0) {
      throw new BadRequestException('Choose the requirement and cycle to waive.');
    }
    if (typeof body.reason !== 'string' || body.reason.trim().length === 0) {
      const view = await this.personPage.show(actor, personId, {
        requirementId: body.requirementId,
        cycle,
        message: 'Give the reason for the waiver: auditors will read it.',
      });
      return res.status(422).render('people/show', view);
    }
    await this.onboarding.waive(actor, personId, body.requirementId, cycle, body.reason);
    res.redirect(303, `/people/${personId}#requirements`);
  }
}
