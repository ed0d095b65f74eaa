import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Session } from './session.entity';

export type SessionEndReason =
  | 'logout'
  | 'idle_timeout'
  | 'absolute_timeout'
  | 'roles_changed'
  | 'identity_changed'
  | 'deactivated'
  | 'revoked'
  | 'idp_logout'
  | 'new_login';

export interface NewSession {
  id: string;
  tokenHash: string;
  personId: string;
  now: Date;
  expiresAt: Date;
  authMethod: 'saml' | 'oidc';
  idpEntityId: string;
  nameId: string;
  nameIdFormat: string | null;
  sessionIndex: string | null;
  authnInstant: Date | null;
  authnContextClassRef: string | null;
  mfa: boolean | null;
  ip: string | null;
  userAgent: string | null;
}

@Injectable()
export class SessionRepository {
  constructor(private readonly em: EntityManager) {}

  async create(input: NewSession): Promise<void> {
    const em = this.em.fork();
    const { personId, now, ...rest } = input;
    em.create(Session, { ...rest, person: personId, createdAt: now, lastSeenAt: now });
    await em.flush();
  }

  findLiveByTokenHash(tokenHash: string): Promise<Session | null> {
    return this.em.fork().findOne(Session, { tokenHash, endedAt: null }, { populate: ['person'] });
  }

  async touch(id: string, now: Date): Promise<void> {
    await this.em.fork().nativeUpdate(Session, { id, endedAt: null }, { lastSeenAt: now });
  }

  async markTotpVerified(id: string, now: Date): Promise<void> {
    await this.em.fork().nativeUpdate(Session, { id, endedAt: null }, { totpVerifiedAt: now });
  }

  /** Ends one live session; returns whether it was live. */
  async end(id: string, reason: SessionEndReason, now: Date): Promise<boolean> {
    const changed = await this.em
      .fork()
      .nativeUpdate(Session, { id, endedAt: null }, { endedAt: now, endedReason: reason });
    return changed > 0;
  }

  /** Ends every live session of a person; returns how many ended. */
  endAllForPerson(
    personId: string,
    reason: SessionEndReason,
    now: Date,
    em: EntityManager = this.em.fork(),
  ): Promise<number> {
    return em.nativeUpdate(
      Session,
      { person: personId, endedAt: null },
      { endedAt: now, endedReason: reason },
    );
  }

  /** Live sessions of the person the IdP names, for IdP-initiated logout. */
  async endByNameId(
    nameId: string,
    sessionIndex: string | undefined,
    now: Date,
  ): Promise<{ id: string; personId: string }[]> {
    const em = this.em.fork();
    const where = sessionIndex
      ? { nameId, sessionIndex, endedAt: null }
      : { nameId, endedAt: null };
    const live = await em.find(Session, where);
    for (const s of live) {
      s.endedAt = now;
      s.endedReason = 'idp_logout';
    }
    await em.flush();
    return live.map((s) => ({ id: s.id, personId: s.person.id }));
  }

  listForPerson(personId: string, limit = 50): Promise<Session[]> {
    return this.em
      .fork()
      .find(Session, { person: personId }, { orderBy: { createdAt: 'desc' }, limit });
  }

  findWithPerson(id: string): Promise<Session | null> {
    return this.em.fork().findOne(Session, { id }, { populate: ['person'] });
  }

  findById(id: string): Promise<Session | null> {
    return this.em.fork().findOne(Session, { id });
  }
}
