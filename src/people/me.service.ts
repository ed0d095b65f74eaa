import { Injectable, NotFoundException } from '@nestjs/common';
import type { Principal } from '../access/principal';
import { Role } from '../access/role';
import { SessionsService } from '../auth/sessions/sessions.service';
import { AssignmentStatus } from '../requirements/assignment-deriver';
import { RequirementsService } from '../requirements/requirements.service';
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
  ) {}

  async home(principal: Principal): Promise<MeView> {
    const person = await this.people.findById(principal.personId);
    if (!person) throw new NotFoundException();
    const session = await this.sessions.findById(principal.sessionId);
    const assignments = (await this.requirements.assignmentsFor(principal.personId)).map(
      (a): TaskView => ({
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
    return {
      tasks: assignments.filter((a) => !closed.has(a.status)),
      completed: assignments.filter((a) => closed.has(a.status)),
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
