import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { Principal } from '../access/principal';
import { Role } from '../access/role';
import { SessionsService } from '../auth/sessions/sessions.service';
import { calendarDayOf } from '../common/calendar-day';
import { Clock } from '../common/clock';
import { label } from '../common/labels';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { TASK_KINDS } from '../documents/document-version.entity';
import { DocumentVersionRepository } from '../documents/document-version.repository';
import { OffboardingChecklistService } from '../offboarding/offboarding-checklist.service';
import { RequirementsService } from '../requirements/requirements.service';
import { buildTaskList, type TaskListView } from './me-task-list';
import { PeopleService } from './people.service';

export interface MeView extends TaskListView {
  title: string;
  csrfToken: string;
  email: string;
  displayName: string;
  /** Role names in words. */
  roles: string[];
  isAdmin: boolean;
  totpVerified: boolean;
  signIn: { idp: string; mfa: string; authnInstant: string | null } | null;
  /** People leaving whom this person manages, with offboarding tasks the manager may do. */
  leavers: Array<{ name: string; openTasks: number; href: string }>;
}

/** The GOV.UK confirmation panel after an action that made evidence: its PDF, and what next. */
export interface ConfirmationView {
  heading: string;
  pdfHref: string;
  next: { title: string; href: string } | null;
}

/** The signed-in person's own work: their task list, and what to do next. */
@Injectable()
export class MeService {
  constructor(
    private readonly people: PeopleService,
    private readonly sessions: SessionsService,
    private readonly requirements: RequirementsService,
    private readonly versions: DocumentVersionRepository,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly offboarding: OffboardingChecklistService,
  ) {}

  async home(principal: Principal): Promise<MeView> {
    const person = await this.people.findById(principal.personId);
    if (!person) throw new NotFoundException();
    const [session, list, leavers] = await Promise.all([
      this.sessions.findById(principal.sessionId),
      this.taskList(principal.personId),
      this.offboarding.leaversManagedBy(person.email),
    ]);
    return {
      ...list,
      title: 'My tasks',
      csrfToken: principal.csrfToken,
      email: person.email,
      displayName: person.fullName,
      roles: principal.roles.map((role) => label(role)),
      isAdmin: principal.roles.includes(Role.Admin),
      totpVerified: principal.totpVerified,
      leavers,
      signIn: session
        ? {
            idp: this.idpInWords(session.idpEntityId),
            mfa:
              session.mfa === null || session.mfa === undefined
                ? 'Not stated by your identity provider'
                : session.mfa
                  ? 'Yes'
                  : 'No, password only',
            authnInstant: session.authnInstant?.toISOString() ?? null,
          }
        : null,
    };
  }

  /** The next open task, for the "Next" button after signing or passing; null when none. */
  async nextTask(principal: Principal): Promise<{ title: string; href: string } | null> {
    return (await this.taskList(principal.personId)).next;
  }

  /** The panel shown after signing or passing: the sealed PDF is the person's own copy. */
  async confirmation(
    principal: Principal,
    heading: string,
    attestationId: string,
  ): Promise<ConfirmationView> {
    return {
      heading,
      pdfHref: `/attestations/${attestationId}/pdf`,
      next: await this.nextTask(principal),
    };
  }

  private async taskList(personId: string): Promise<TaskListView> {
    const [standings, subjects] = await Promise.all([
      // The one place that computes a requirement's state for a person.
      this.requirements.standingsFor(personId),
      this.versions.currentTitlesOfKinds(TASK_KINDS),
    ]);
    return buildTaskList(standings, subjects, calendarDayOf(this.clock.now()));
  }

  private idpInWords(entityId: string): string {
    if (!this.config.saml.idp && !this.config.oidc) {
      return 'The demo identity provider built into Attest';
    }
    try {
      return `Your organisation’s identity provider (${new URL(entityId).host})`;
    } catch {
      return `Your organisation’s identity provider (${entityId})`;
    }
  }
}
