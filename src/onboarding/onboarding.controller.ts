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

const GROUPINGS = new Set<Grouping>(['department', 'country', 'start_month']);

/** HR dashboards: onboarding completion, the overdue list, one person's requirements. */
@Controller('onboarding')
export class OnboardingController {
  constructor(private readonly onboarding: OnboardingService) {}

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

  @RequirePermission(Permission.RequirementRead)
  @Get('people/:id')
  async person(
    @CurrentPrincipal() actor: Principal,
    @Param('id', new ParseUUIDPipe()) personId: string,
    @Res() res: Response,
  ): Promise<void> {
    const view = await this.onboarding.person(actor, personId);
    res.render('onboarding/person', {
      ...view,
      canWaive: actor.permissions.has(Permission.RequirementWaive),
    });
  }

  @RequirePermission(Permission.RequirementWaive)
  @Post('people/:id/waivers')
  async waive(
    @CurrentPrincipal() actor: Principal,
    @Param('id', new ParseUUIDPipe()) personId: string,
    @Body() body: { requirementId?: unknown; cycle?: unknown; reason?: unknown },
    @Res() res: Response,
  ): Promise<void> {
    const cycle = Number(body.cycle);
    if (typeof body.requirementId !== 'string' || !Number.isInteger(cycle) || cycle < 0) {
      throw new BadRequestException('Choose the requirement and cycle to waive.');
    }
    if (typeof body.reason !== 'string' || body.reason.trim().length === 0) {
      throw new BadRequestException('A waiver needs a reason. Go back and give one.');
    }
    await this.onboarding.waive(actor, personId, body.requirementId, cycle, body.reason);
    res.redirect(303, `/onboarding/people/${personId}`);
  }
}
