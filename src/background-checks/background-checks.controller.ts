import {
  Body,
  Controller,
  Get,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Render,
  Res,
} from '@nestjs/common';
import type { Response } from 'express';
import { RequirePermission } from '../access/access.decorators';
import { CurrentPrincipal } from '../access/current-principal.decorator';
import { Permission } from '../access/permission';
import { sendCsv } from '../common/csv/send-csv';
import type { Principal } from '../access/principal';
import type { BackgroundCheckFormView } from './background-check-form.view';
import type { BackgroundCheckDetailView, MyBackgroundChecksView } from './background-check.views';
import { BackgroundCheckNotFound, PersonNotFound } from './background-checks.errors';
import { BackgroundChecksService } from './background-checks.service';
import {
  BackgroundCheckFormsService,
  type PersonChoiceView,
} from './background-check-forms.service';
import { BackgroundCheckListQuerySchema, parseOrThrow } from './dto/background-check-form.dto';

/** Same answer for a malformed id as for an unknown one: nothing to tell them apart by. */
const ID = new ParseUUIDPipe({ exceptionFactory: () => new BackgroundCheckNotFound() });
const PERSON_ID = new ParseUUIDPipe({ exceptionFactory: () => new PersonNotFound() });

/**
 * Background check pages. Record-level access (full, status, own, none) is decided by
 * backgroundCheckAccess() in the service, not here.
 */
@Controller()
export class BackgroundChecksController {
  constructor(
    private readonly checks: BackgroundChecksService,
    private readonly forms: BackgroundCheckFormsService,
  ) {}

  @RequirePermission(Permission.BackgroundCheckStatusRead)
  @Get('background-checks')
  async list(
    @CurrentPrincipal() actor: Principal,
    @Query() query: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const { format, ...filters } = query;
    const parsed = parseOrThrow(BackgroundCheckListQuerySchema, filters);
    if (format === 'csv') {
      return sendCsv(res, 'background-checks', await this.checks.listCsv(actor, parsed));
    }
    res.render('background-checks/index', await this.checks.list(actor, parsed));
  }

  /** "Record a check": choose the person, by name, email or employee number. */
  @RequirePermission(Permission.BackgroundCheckWrite)
  @Get('background-checks/new')
  @Render('background-checks/choose-person')
  choosePerson(@Query() query: Record<string, unknown>): Promise<PersonChoiceView> {
    const q = typeof query.q === 'string' ? query.q.slice(0, 200) : '';
    return this.forms.choosePerson(q);
  }

  /** Everyone may ask; the policy answers how much they see, and 404 when nothing. */
  @RequirePermission(Permission.SelfRead)
  @Get('background-checks/:id')
  @Render('background-checks/show')
  show(
    @CurrentPrincipal() actor: Principal,
    @Param('id', ID) id: string,
  ): Promise<BackgroundCheckDetailView> {
    return this.checks.show(actor, id);
  }

  @RequirePermission(Permission.SelfRead)
  @Get('me/background-checks')
  @Render('background-checks/mine')
  mine(@CurrentPrincipal() actor: Principal): Promise<MyBackgroundChecksView> {
    return this.checks.mine(actor);
  }

  @RequirePermission(Permission.BackgroundCheckWrite)
  @Get('people/:personId/background-checks/new')
  @Render('background-checks/new')
  newForm(
    @CurrentPrincipal() actor: Principal,
    @Param('personId', PERSON_ID) personId: string,
  ): Promise<BackgroundCheckFormView> {
    return this.forms.newForm(actor, personId);
  }

  @RequirePermission(Permission.BackgroundCheckWrite)
  @Post('background-checks')
  async create(
    @CurrentPrincipal() actor: Principal,
    @Body() body: Record<string, unknown> | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const outcome = await this.forms.create(actor, body ?? {});
    if (outcome.saved) return res.redirect(303, `/background-checks/${outcome.id}`);
    res.status(422).render('background-checks/new', outcome.view);
  }

  @RequirePermission(Permission.BackgroundCheckWrite)
  @Get('background-checks/:id/edit')
  @Render('background-checks/edit')
  editForm(
    @CurrentPrincipal() actor: Principal,
    @Param('id', ID) id: string,
  ): Promise<BackgroundCheckFormView> {
    return this.forms.editForm(actor, id);
  }

  @RequirePermission(Permission.BackgroundCheckWrite)
  @Post('background-checks/:id')
  async update(
    @CurrentPrincipal() actor: Principal,
    @Param('id', ID) id: string,
    @Body() body: Record<string, unknown> | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const outcome = await this.forms.update(actor, id, body ?? {});
    if (outcome.saved) return res.redirect(303, `/background-checks/${id}`);
    res.status(422).render('background-checks/edit', outcome.view);
  }
}
