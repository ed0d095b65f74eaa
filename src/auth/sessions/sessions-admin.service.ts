import { Injectable, NotFoundException } from '@nestjs/common';
import type { Principal } from '../../access/principal';
import { AuditService } from '../../audit/audit.service';
import { PeopleService } from '../../people/people.service';
import { SessionsService } from './sessions.service';

export interface PeopleListView {
  title: string;
  csrfToken: string;
  people: { id: string; email: string; displayName: string; roles: string }[];
  total: number;
}

export interface PersonSessionsView {
  title: string;
  csrfToken: string;
  person: { id: string; email: string; displayName: string };
  sessions: {
    id: string;
    createdAt: string;
    lastSeenAt: string;
    ip: string;
    userAgent: string;
    mfa: string;
    live: boolean;
    ended: string;
  }[];
}

/** What admins see of and do to other people's sessions. */
@Injectable()
export class SessionsAdminService {
  constructor(
    private readonly people: PeopleService,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
  ) {}

  async listPeople(actor: Principal): Promise<PeopleListView> {
    const [people, total] = await this.people.list(200, 0);
    return {
      title: 'People',
      csrfToken: actor.csrfToken,
      total,
      people: people.map((p) => ({
        id: p.id,
        email: p.email,
        displayName: p.fullName,
        roles: p.roles.join(', '),
      })),
    };
  }

  async sessionsOf(actor: Principal, personId: string): Promise<PersonSessionsView> {
    const person = await this.people.findById(personId);
    if (!person) throw new NotFoundException();
    await this.audit.record({
      action: 'session.listed',
      actorId: actor.personId,
      subjectType: 'person',
      subjectId: personId,
    });
    const sessions = await this.sessions.listFor(personId);
    return {
      title: `Sessions of ${person.fullName}`,
      csrfToken: actor.csrfToken,
      person: { id: person.id, email: person.email, displayName: person.fullName },
      sessions: sessions.map((s) => ({
        id: s.id,
        createdAt: s.createdAt.toISOString(),
        lastSeenAt: s.lastSeenAt.toISOString(),
        ip: s.ip ?? '',
        userAgent: s.userAgent ?? '',
        mfa: s.mfa === null || s.mfa === undefined ? 'not stated' : s.mfa ? 'yes' : 'no',
        live: !s.endedAt,
        ended: s.endedAt ? `${s.endedAt.toISOString()} (${s.endedReason ?? ''})` : '',
      })),
    };
  }

  /** Ends one session; returns the person it belonged to. */
  async revoke(actor: Principal, sessionId: string): Promise<string> {
    const session = await this.sessions.findById(sessionId);
    if (!session) throw new NotFoundException();
    const personId = session.person.id;
    await this.sessions.endSession(sessionId, personId, 'revoked');
    await this.audit.record({
      action: 'session.revoked',
      actorId: actor.personId,
      subjectType: 'session',
      subjectId: sessionId,
      details: { personId },
    });
    return personId;
  }

  async revokeAll(actor: Principal, personId: string): Promise<void> {
    const person = await this.people.findById(personId);
    if (!person) throw new NotFoundException();
    await this.sessions.endAllFor(personId, 'revoked', actor.personId);
  }
}
