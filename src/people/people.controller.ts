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
import { EditPersonSchema, ListPeopleSchema, parseDto } from './dto/people.dto';
import type { PersonEditView } from './people.views';
import { PeopleService } from './people.service';
import { PersonNotFound } from './people.errors';
import type { PersonPageView } from './person-page.views';
import { PersonPageService } from './person-page.service';

const REMINDER_OUTCOMES = ['sent', 'recent', 'nothing'] as const;

/** A malformed id answers as an unknown one does: in words, and nothing to probe. */
const ID = new ParseUUIDPipe({ exceptionFactory: () => new PersonNotFound() });

/** HR's pages for people: the search, the one person page, and the edit form for HR fields. */
@Controller('people')
export class PeopleController {
  constructor(
    private readonly people: PeopleService,
    private readonly page: PersonPageService,
  ) {}

  @RequirePermission(Permission.PersonRead)
  @Get()
  async list(
    @CurrentPrincipal() actor: Principal,
    @Query() query: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const filters = parseDto(ListPeopleSchema, query);
    if (query.format === 'csv') {
      return sendCsv(res, 'people', await this.people.searchCsv(filters));
    }
    res.render('people/index', await this.people.search(actor, filters));
  }

  @RequirePermission(Permission.PersonRead)
  @Get(':id')
  @Render('people/show')
  show(
    @CurrentPrincipal() actor: Principal,
    @Param('id', ID) id: string,
    @Query('reminder') reminder: unknown,
  ): Promise<PersonPageView> {
    const outcome = REMINDER_OUTCOMES.find((known) => known === reminder);
    return this.page.show(actor, id, undefined, outcome);
  }

  @RequirePermission(Permission.PersonWrite)
  @Get(':id/edit')
  @Render('people/edit')
  editForm(
    @CurrentPrincipal() actor: Principal,
    @Param('id', ID) id: string,
  ): Promise<PersonEditView> {
    return this.people.editForm(actor, id);
  }

  @RequirePermission(Permission.PersonWrite)
  @Post(':id')
  async edit(
    @CurrentPrincipal() actor: Principal,
    @Param('id', ID) id: string,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const outcome = await this.people.edit(actor, id, parseDto(EditPersonSchema, body));
    if (outcome.saved) return res.redirect(303, `/people/${id}`);
    res.status(422).render('people/edit', outcome.view);
  }
}
