import { calendarDayOf } from '../../common/calendar-day';
import { hasLeft } from '../../requirements/assignment-deriver';
import { createHmac, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../../access/principal';
import { isRole } from '../../access/role';
import { permissionsFor } from '../../access/role-permissions';
import { AuditService } from '../../audit/audit.service';
import { Clock } from '../../common/clock';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import type { SsoIdentity } from '../saml/sso-identity';
import { newToken, sha256Hex } from './auth-cookies';
import type { Session } from './session.entity';
import { type SessionEndReason, SessionRepository } from './session.repository';

/** Only write last-seen once a minute: every page view need not be a database write. */
const TOUCH_INTERVAL_MS = 60_000;

export interface ClientInfo {
  readonly ip: string | undefined;
  readonly userAgent: string | undefined;
}

/** Server-side sessions: start, resolve with idle and absolute timeouts, end. */
@Injectable()
export class SessionsService {
  /**
   * The session row (with its person) each principal was resolved from, for the rest of its
   * request: signing needs the SSO evidence and the signer's name without reading them again.
   */
  private readonly resolvedFrom = new WeakMap<Principal, Session>();

  constructor(
    private readonly sessions: SessionRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Starts a session with a fresh token (never a reused one: no fixation). */
  async start(
    personId: string,
    identity: SsoIdentity,
    client: ClientInfo,
  ): Promise<{ token: string; sessionId: string }> {
    const now = this.clock.now();
    const token = newToken();
    const sessionId = randomUUID();
    await this.sessions.create({
      id: sessionId,
      tokenHash: sha256Hex(token),
      personId,
      now,
      expiresAt: new Date(now.getTime() + this.config.sessions.absoluteTimeoutMs),
      authMethod: identity.protocol,
      idpEntityId: identity.idpEntityId,
      nameId: identity.nameId,
      nameIdFormat: identity.nameIdFormat ?? null,
      sessionIndex: identity.sessionIndex ?? null,
      authnInstant: identity.authnInstant ?? null,
      authnContextClassRef: identity.authnContextClassRef ?? null,
      mfa: identity.mfa ?? null,
      ip: client.ip?.slice(0, 64) ?? null,
      userAgent: client.userAgent?.slice(0, 512) ?? null,
    });
    return { token, sessionId };
  }

  /** The principal for a session cookie, or undefined when it is unknown, ended or expired. */
  async resolve(token: string): Promise<Principal | undefined> {
    const session = await this.sessions.findLiveByTokenHash(sha256Hex(token));
    if (!session) return undefined;
    const now = this.clock.now();
    const expiry = this.expiryReason(session, now);
    if (expiry) {
      await this.endSession(session.id, session.person.id, expiry);
      return undefined;
    }
    // A leaver's access ends when they are terminated or their last day has passed.
    if (hasLeft(session.person, calendarDayOf(now))) {
      await this.endSession(session.id, session.person.id, 'deactivated');
      return undefined;
    }
    if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
      await this.sessions.touch(session.id, now);
    }
    const roles = session.person.roles.filter(isRole);
    const totpVerified = session.totpVerifiedAt !== null && session.totpVerifiedAt !== undefined;
    const principal: Principal = {
      personId: session.person.id,
      sessionId: session.id,
      roles,
      permissions: permissionsFor(roles, totpVerified),
      totpVerified,
      csrfToken: this.csrfTokenFor(session.id),
    };
    this.resolvedFrom.set(principal, session);
    return principal;
  }

  /**
   * The session a principal was resolved from, with its person: the row this request already
   * read, else read now. Null when there is no such session.
   */
  async sessionOf(principal: Principal): Promise<Session | null> {
    return (
      this.resolvedFrom.get(principal) ?? (await this.sessions.findWithPerson(principal.sessionId))
    );
  }

  /** Derived, not stored: HMAC of the session id under SESSION_SECRET. */
  csrfTokenFor(sessionId: string): string {
    return createHmac('sha256', this.config.secrets.sessionSecret)
      .update(`csrf:${sessionId}`)
      .digest('base64url');
  }

  async markTotpVerified(sessionId: string): Promise<void> {
    await this.sessions.markTotpVerified(sessionId, this.clock.now());
  }

  async endSession(
    sessionId: string,
    personId: string,
    reason: SessionEndReason,
  ): Promise<boolean> {
    const ended = await this.sessions.end(sessionId, reason, this.clock.now());
    if (ended) {
      await this.audit.record({
        action: 'session.ended',
        actorId: personId,
        subjectType: 'session',
        subjectId: sessionId,
        details: { reason },
      });
    }
    return ended;
  }

  async endAllFor(personId: string, reason: SessionEndReason, actorId: string): Promise<number> {
    const count = await this.sessions.endAllForPerson(personId, reason, this.clock.now());
    if (count > 0) {
      await this.audit.record({
        action: 'session.ended_all',
        actorId,
        subjectType: 'person',
        subjectId: personId,
        details: { reason, count },
      });
    }
    return count;
  }

  /**
   * Ends every session of the person in the caller's transaction (offboarding), so that the
   * sessions end with whatever ended their access, or not at all.
   */
  async endAllForIn(
    em: EntityManager,
    personId: string,
    reason: SessionEndReason,
    actorId: string,
  ): Promise<number> {
    const count = await this.sessions.endAllForPerson(personId, reason, this.clock.now(), em);
    if (count > 0) {
      await this.audit.recordIn(em, {
        action: 'session.ended_all',
        actorId,
        subjectType: 'person',
        subjectId: personId,
        details: { reason, count },
      });
    }
    return count;
  }

  async endByNameId(nameId: string, sessionIndex: string | undefined): Promise<string[]> {
    const ended = await this.sessions.endByNameId(nameId, sessionIndex, this.clock.now());
    for (const session of ended) {
      await this.audit.record({
        action: 'session.ended',
        actorId: session.personId,
        subjectType: 'session',
        subjectId: session.id,
        details: { reason: 'idp_logout' },
      });
    }
    return ended.map((s) => s.id);
  }

  listFor(personId: string): Promise<Session[]> {
    return this.sessions.listForPerson(personId);
  }

  findById(id: string): Promise<Session | null> {
    return this.sessions.findById(id);
  }

  private expiryReason(session: Session, now: Date): SessionEndReason | undefined {
    if (session.expiresAt.getTime() <= now.getTime()) return 'absolute_timeout';
    if (now.getTime() - session.lastSeenAt.getTime() >= this.config.sessions.idleTimeoutMs) {
      return 'idle_timeout';
    }
    return undefined;
  }
}
