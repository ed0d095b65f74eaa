import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { SessionsService } from '../auth/sessions/sessions.service';
import { calendarDayOf } from '../common/calendar-day';
import { Clock } from '../common/clock';
import { Person } from '../people/person.entity';
import { hasLeft } from '../requirements/assignment-deriver';
import { RequirementsService } from '../requirements/requirements.service';

/** How a person came to leave, for the audit event; undefined when the caller did not say. */
export type LeavingSource = 'edit' | 'csv' | 'scim' | undefined;

/**
 * The moment a person leaves (ISO/IEC 27001:2022 A.5.18, A.6.5): in one transaction every
 * session ends, their access is marked ended, their open joining and recurring work is closed
 * as not required, their offboarding checklist is derived, and `person.left` is recorded. Either
 * all of it commits or none does; run again, it changes nothing.
 *
 * API tokens are not touched: a token belongs to a machine (`attest token` on the server), no
 * person creates or holds one, so leaving has none to revoke.
 */
@Injectable()
export class LeavingService {
  constructor(
    private readonly em: EntityManager,
    private readonly sessions: SessionsService,
    private readonly requirements: RequirementsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * Ends the access of those who have left and whose access has not ended yet: one set-based
   * query finds them (an import of 100,000 people runs no transaction for those who stay), then
   * one transaction each.
   */
  async leave(
    actorId: string,
    personIds: readonly string[],
    source: LeavingSource,
  ): Promise<string[]> {
    if (personIds.length === 0) return [];
    const rows = await this.em.fork().execute<{ id: string }[]>(
      `select id from person
        where id in (select jsonb_array_elements_text(?::jsonb)::uuid)
          and access_ended_at is null
          and (status = 'terminated' or end_date < ?::date)
        order by id`,
      [JSON.stringify(personIds), calendarDayOf(this.clock.now())],
    );
    const left: string[] = [];
    for (const { id } of rows) {
      const done = await this.em
        .fork()
        .transactional((tx) => this.leaveIn(tx, actorId, id, source));
      if (done) left.push(id);
    }
    return left;
  }

  /**
   * Everyone whose last day has passed since, with no change to their record to trigger it: the
   * hourly pass of LeavingJobs.
   */
  async leavePastEndDate(actorId: string): Promise<string[]> {
    const rows = await this.em.fork().execute<{ id: string }[]>(
      `select id from person
        where access_ended_at is null and end_date < ?::date
        order by id`,
      [calendarDayOf(this.clock.now())],
    );
    return this.leave(
      actorId,
      rows.map((r) => r.id),
      undefined,
    );
  }

  /**
   * In the caller's transaction: the leaving steps for one person, if they have left and their
   * access has not ended yet. True when it ended their access now.
   */
  async leaveIn(
    tx: EntityManager,
    actorId: string,
    personId: string,
    source: LeavingSource,
  ): Promise<boolean> {
    const now = this.clock.now();
    // Locked: two callers (an HR edit and a SCIM call) cannot both run the steps.
    const rows = await tx.execute<
      { status: Person['status']; end_date: string | null; access_ended_at: Date | null }[]
    >(
      `select status, end_date::text as end_date, access_ended_at from person where id = ? for update`,
      [personId],
    );
    const row = rows[0];
    if (!row || row.access_ended_at) return false;
    if (!hasLeft({ status: row.status, endDate: row.end_date }, calendarDayOf(now))) return false;
    await tx.execute(`update person set access_ended_at = ? where id = ?`, [
      now.toISOString(),
      personId,
    ]);
    const sessions = await this.sessions.endAllForIn(tx, personId, 'deactivated', actorId);
    // Pending work becomes "not required after leaving"; the checklist's assignments appear.
    await this.requirements.deriveIn(tx, [personId]);
    await this.audit.recordIn(tx, {
      action: 'person.left',
      actorId,
      subjectType: 'person',
      subjectId: personId,
      details: {
        source: source ?? null,
        status: row.status,
        endDate: row.end_date,
        accessEndedAt: now.toISOString(),
        sessionsEnded: sessions,
        apiTokensRevoked: 0,
      },
    });
    return true;
  }
}
