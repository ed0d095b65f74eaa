import {
  Controller,
  Get,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Render,
  Res,
} from '@nestjs/common';
import type { Response } from 'express';
import { RequirePermission } from '../../access/access.decorators';
import { CurrentPrincipal } from '../../access/current-principal.decorator';
import { Permission } from '../../access/permission';
import type { Principal } from '../../access/principal';
import { PersonNotFound } from '../../people/people.errors';
import {
  type PeopleListView,
  type PersonSessionsView,
  SessionsAdminService,
} from './sessions-admin.service';

/** Malformed ids answer as records that do not exist, in words (never "uuid is expected"). */
const PERSON_ID = new ParseUUIDPipe({ exceptionFactory: () => new PersonNotFound() });

/** Admin pages: people, and their sessions, which an admin can end. */
const SESSION_ID = new ParseUUIDPipe({
  exceptionFactory: () => new NotFoundException('There is no such session. It may have ended.'),
});
@Controller('admin')
export class SessionsController {
  constructor(private readonly admin: SessionsAdminService) {}

  /** Where an administrator's work starts: each admin page with a sentence on what it is. */
  @RequirePermission(Permission.AdminRead)
  @Get()
  @Render('admin/index')
  index(): { title: string } {
    return { title: 'Admin' };
  }

  @RequirePermission(Permission.AdminRead)
  @Get('people')
  @Render('admin/people')
  people(@CurrentPrincipal() actor: Principal): Promise<PeopleListView> {
    return this.admin.listPeople(actor);
  }

  @RequirePermission(Permission.SessionRead)
  @Get('people/:id/sessions')
  @Render('admin/sessions')
  sessions(
    @CurrentPrincipal() actor: Principal,
    @Param('id', PERSON_ID) personId: string,
  ): Promise<PersonSessionsView> {
    return this.admin.sessionsOf(actor, personId);
  }

  @RequirePermission(Permission.SessionRevoke)
  @Post('sessions/:id/revoke')
  async revoke(
    @CurrentPrincipal() actor: Principal,
    @Param('id', SESSION_ID) sessionId: string,
    @Res() res: Response,
  ): Promise<void> {
    const personId = await this.admin.revoke(actor, sessionId);
    res.redirect(303, `/admin/people/${personId}/sessions`);
  }

  @RequirePermission(Permission.SessionRevoke)
  @Post('people/:id/sessions/revoke')
  async revokeAll(
    @CurrentPrincipal() actor: Principal,
    @Param('id', PERSON_ID) personId: string,
    @Res() res: Response,
  ): Promise<void> {
    await this.admin.revokeAll(actor, personId);
    res.redirect(303, `/admin/people/${personId}/sessions`);
  }
}
