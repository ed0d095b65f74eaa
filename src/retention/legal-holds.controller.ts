import { Body, Controller, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { RequirePermission } from '../access/access.decorators';
import { CurrentPrincipal } from '../access/current-principal.decorator';
import { Permission } from '../access/permission';
import type { Principal } from '../access/principal';
import { PersonNotFound } from '../people/people.errors';
import { PersonPageService } from '../people/person-page.service';
import { parseLegalHoldForm } from './dto/legal-hold.dto';
import { type HoldOutcome, LegalHoldsService } from './legal-holds.service';

const PERSON_ID = new ParseUUIDPipe({ exceptionFactory: () => new PersonNotFound() });

/**
 * The legal hold form on the person page. A refused form (no reason, too long, already held)
 * brings the page back with the problem at the top and beside the field, the reason kept.
 */
@Controller('people/:id/legal-hold')
export class LegalHoldsController {
  constructor(
    private readonly holds: LegalHoldsService,
    private readonly personPage: PersonPageService,
  ) {}

  @RequirePermission(Permission.LegalHoldManage)
  @Post()
  async place(
    @CurrentPrincipal() actor: Principal,
    @Param('id', PERSON_ID) personId: string,
    @Body() body: unknown,
    @Res() res: Response,
  ): Promise<void> {
    const { reason } = parseLegalHoldForm(body);
    await this.answer(actor, personId, await this.holds.place(actor, personId, reason), res);
  }

  @RequirePermission(Permission.LegalHoldManage)
  @Post('lift')
  async lift(
    @CurrentPrincipal() actor: Principal,
    @Param('id', PERSON_ID) personId: string,
    @Body() body: unknown,
    @Res() res: Response,
  ): Promise<void> {
    const { reason } = parseLegalHoldForm(body);
    await this.answer(actor, personId, await this.holds.lift(actor, personId, reason), res);
  }

  private async answer(
    actor: Principal,
    personId: string,
    outcome: HoldOutcome,
    res: Response,
  ): Promise<void> {
    if (outcome.done) return res.redirect(303, `/people/${personId}#legal-hold`);
    const view = await this.personPage.show(actor, personId, undefined, undefined, outcome.error);
    res.status(422).render('people/show', view);
  }
}
