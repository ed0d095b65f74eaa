import { Injectable, NotFoundException } from '@nestjs/common';
import type { Principal } from '../access/principal';
import { Role } from '../access/role';
import { SessionsService } from '../auth/sessions/sessions.service';
import { AssignmentStatus } from '../requirements/assignment-deriver';
import { RequirementsService } from '../requirements/requirements.service';
import { addDays, calendarDayOf } from '../common/calendar-day';
import { Clock } from '../common/clock';

/** A recurrence due later than this many days from now is listed as coming up, not as a task. */
const UPCOMING_AFTER_DAYS = 60;
import { PeopleService } from './people.service';

export interface MeView {
  title: string;
  csrfToken: string;
  email: string;
  displayName: string;
  roles: string[];
  isAdmin: boolean;
  totpVerified: boolean;
  signIn: { idp: string; mfa: string; authnInstant: string | null } | null;
  /** Open tasks, soonest due first; overdue ones flagged. */
  tasks: TaskView[];
  completed: TaskView[];
  /** Background checks: HR and the screening vendor do them, not the person. */
  screening: TaskView[];
  /** Next cycles of recurring work, not due for a while (next year's training). */
  upcoming: TaskView[];
}

export interface TaskView {
  requirementId: string;
  subject: string;
  kind: string;
  dueDate: string;
  status: string;
  overdue: boolean;
  completedAt: string | null;
  /** Where the person does it: the document or the training module; none for HR's checks. */
  href: string | null;
}

@Injectable()
export class MeService {
  constructor(
    private readonly people: PeopleService,
    private readonly sessions: SessionsService,
    private readonly requirements: RequirementsService,
    private readonly clock: Clock,
  ) {}

  async home(principal: Principal): Promise<MeView> {
    const person = await this.people.findById(principal.personId);
    if (!person) throw new NotFoundException();
    const session = await this.sessions.findById(principal.sessionId);
    const assignments = (await this.requirements.assignmentsFor(principal.personId)).map(
      (a): TaskView & { cycle: number } => ({
        cycle: a.cycle,
        requirementId: a.requirementId,
        subject: a.subject,
        kind: a.kind,
        dueDate: a.dueDate,
        status: a.status,
        overdue: a.status === AssignmentStatus.Overdue,
        completedAt: a.completedAt?.toISOString() ?? null,
        href: taskHref(a.kind, a.subject),
      }),
    );
    const closed = new Set<string>([AssignmentStatus.Done, AssignmentStatus.Waived]);
    const own = assignments.filter((a) => a.href !== null);
    const horizon = addDays(calendarDayOf(this.clock.now()), UPCOMING_AFTER_DAYS);
    const later = (a: TaskView & { cycle: number }) =>
      a.cycle > 0 && !closed.has(a.status) && a.dueDate > horizon;
    return {
      tasks: own.filter((a) => !closed.has(a.status) && !later(a)),
      upcoming: own.filter(later),
      completed: own.filter((a) => closed.has(a.status)),
      screening: assignments.filter((a) => a.href === null),
      title: 'My home',
      csrfToken: principal.csrfToken,
      email: person.email,
      displayName: person.fullName,
      roles: [...principal.roles],
      isAdmin: principal.roles.includes(Role.Admin),
      totpVerified: principal.totpVerified,
      signIn: session
        ? {
            idp: session.idpEntityId,
            mfa:
              session.mfa === null || session.mfa === undefined
                ? 'not stated'
                : session.mfa
                  ? 'yes'
                  : 'no',
            authnInstant: session.authnInstant?.toISOString() ?? null,
          }
        : null,
    };
  }
}

function taskHref(kind: string, subject: string): string | null {
  switch (kind) {
    case 'document':
      return `/documents/${subject}`;
    case 'training':
      return `/training/${subject}`;
    default:
      return null;
  }
}
