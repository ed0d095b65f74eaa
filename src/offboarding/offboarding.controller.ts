import { Body, Controller, Get, Header, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { RequirePermission } from '../access/access.decorators';
import { CurrentPrincipal } from '../access/current-principal.decorator';
import { Permission } from '../access/permission';
import type { Principal } from '../access/principal';
import { humanInstant } from '../common/labels';
import { parseDto } from '../common/validation/parse-dto';
import { MarkTaskDoneSchema, RequirementIdSchema } from './dto/offboarding.dto';
import { OffboardingChecklistService } from './offboarding-checklist.service';
import { OffboardingTaskNotFound } from './offboarding.errors';
import { SigningLinksService } from './signing-links.service';

const ID = new ParseUUIDPipe({ exceptionFactory: () => new OffboardingTaskNotFound() });

/** HR's and the manager's offboarding actions on a leaver's page. */
@Controller()
export class OffboardingController {
  constructor(
    private readonly checklist: OffboardingChecklistService,
    private readonly links: SigningLinksService,
  ) {}

  /** The leaver's checklist for their manager, who cannot open the person page. */
  @RequirePermission(Permission.OffboardingTaskComplete)
  @Get('offboarding/people/:id')
  async managerPage(
    @CurrentPrincipal() actor: Principal,
    @Param('id', ID) id: string,
    @Res() res: Response,
  ): Promise<void> {
    const section = await this.checklist.sectionFor(actor, id);
    // Only someone who may mark one of its tasks sees it here; HR uses the person page.
    if (!section || !section.tasks.some((t) => t.canMark || t.record)) {
      throw new OffboardingTaskNotFound();
    }
    res.render('offboarding/manager', {
      title: `Offboarding: ${section.personName}`,
      offboarding: section,
      csrfToken: actor.csrfToken,
    });
  }

  @RequirePermission(Permission.OffboardingTaskComplete)
  @Post('people/:id/offboarding/tasks/:requirementId')
  async markDone(
    @CurrentPrincipal() actor: Principal,
    @Param('id', ID) id: string,
    @Param('requirementId') requirementId: string,
    @Body() body: unknown,
    @Res() res: Response,
  ): Promise<void> {
    const rule = RequirementIdSchema.safeParse(requirementId);
    if (!rule.success) throw new OffboardingTaskNotFound();
    const form = parseDto(MarkTaskDoneSchema, body);
    await this.checklist.markDone(actor, id, rule.data, form.note);
    const back = actor.permissions.has(Permission.PersonRead)
      ? `/people/${id}#offboarding`
      : `/offboarding/people/${id}`;
    res.redirect(303, back);
  }

  /** The link is shown once, in this answer: never stored, never redirected to. */
  @RequirePermission(Permission.SigningLinkManage)
  @Post('people/:id/offboarding/signing-links')
  @Header('Cache-Control', 'no-store')
  async createLink(
    @CurrentPrincipal() actor: Principal,
    @Param('id', ID) id: string,
    @Res() res: Response,
  ): Promise<void> {
    const { url, expiresAt } = await this.links.create(actor, id);
    res.status(201).render('offboarding/link-created', {
      title: 'One-time signing link',
      personId: id,
      url,
      expiresAt: expiresAt.toISOString(),
      expiresText: humanInstant(expiresAt),
    });
  }

  @RequirePermission(Permission.SigningLinkManage)
  @Post('people/:id/offboarding/signing-links/:linkId/revoke')
  async revokeLink(
    @CurrentPrincipal() actor: Principal,
    @Param('id', ID) id: string,
    @Param('linkId', ID) linkId: string,
    @Res() res: Response,
  ): Promise<void> {
    await this.links.revoke(actor, id, linkId);
    res.redirect(303, `/people/${id}#offboarding`);
  }
}
