import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { CalendarDay } from '../common/calendar-day';
import type { AuditPeriod } from './audit-period';
import type { EvidenceSelector } from './controls-file.loader';

export type AssignmentBucket = 'done' | 'open' | 'overdue' | 'waived' | 'not_required';

export interface AssignmentCount {
  readonly kind: string;
  readonly subject: string;
  readonly bucket: AssignmentBucket;
  readonly count: number;
}

export interface CompletionCount {
  readonly kind: string;
  readonly subject: string;
  readonly source: string;
  readonly count: number;
}

export interface EvidenceRow {
  readonly id: string;
  readonly personId: string;
  readonly employeeNumber: string | null;
  readonly fullName: string;
  readonly email: string;
  readonly requirementId: string;
  readonly kind: string;
  readonly subject: string;
  readonly subjectVersion: string | null;
  /** ISO 8601 instant. */
  readonly completedAt: string;
  readonly source: string;
  readonly reference: string | null;
}

export interface EvidenceCursor {
  readonly completedAt: string;
  readonly id: string;
}

/** The selectors as one parameter: a set of (kind, subject) pairs to join on. */
const SELECTED = `(select s.kind, s.subject from jsonb_to_recordset(?::jsonb) as s(kind text, subject text))`;

/** Completions within the period: from midnight UTC of the first day to that of the day after. */
function completedWithin(period: AuditPeriod | undefined, column: string) {
  if (!period) return { sql: '', params: [] as string[] };
  return {
    sql: `and ${column} >= (?::date)::timestamp at time zone 'UTC' and ${column} < (?::date + 1)::timestamp at time zone 'UTC'`,
    params: [period.from, period.to],
  };
}

/** Counts and records behind each control, grouped in SQL: nothing loads every row. */
@Injectable()
export class ControlEvidenceRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * Assignments of the selected kinds and subjects, by standing today: an open one past its due
   * date counts as overdue even before the next derivation marks it. With a period, only
   * assignments due within it.
   */
  async assignmentCounts(
    selectors: readonly EvidenceSelector[],
    period: AuditPeriod | undefined,
    today: CalendarDay,
  ): Promise<AssignmentCount[]> {
    const due = period
      ? { sql: 'and a.due_date between ?::date and ?::date', params: [period.from, period.to] }
      : { sql: '', params: [] };
    const rows = await this.em
      .fork()
      .execute<{ kind: string; subject: string; bucket: AssignmentBucket; n: string }[]>(
        `select a.kind, a.subject,
              case when a.status in ('done', 'waived', 'not_required') then a.status
                   when a.due_date < ?::date then 'overdue' else 'open' end as bucket,
              count(*) as n
         from requirement_assignment a
        where (a.kind, a.subject) in ${SELECTED} ${due.sql}
        group by 1, 2, 3`,
        [today, JSON.stringify(selectors), ...due.params],
      );
    return rows.map((r) => ({ ...r, count: Number(r.n) }));
  }

  /** Completions of the selected kinds and subjects, by source; with a period, within it. */
  async completionCounts(
    selectors: readonly EvidenceSelector[],
    period: AuditPeriod | undefined,
  ): Promise<CompletionCount[]> {
    const within = completedWithin(period, 'c.completed_at');
    const rows = await this.em
      .fork()
      .execute<{ kind: string; subject: string; source: string; n: string }[]>(
        `select c.kind, c.subject, c.source, count(*) as n
         from requirement_completion c
        where (c.kind, c.subject) in ${SELECTED} ${within.sql}
        group by 1, 2, 3`,
        [JSON.stringify(selectors), ...within.params],
      );
    return rows.map((r) => ({ ...r, count: Number(r.n) }));
  }

  /**
   * One page of the completions that evidence a control, oldest first. A background check's
   * reference is left out: it may be the screening vendor's report number, which auditors
   * never see (src/access/background-check.policy.ts).
   */
  async evidencePage(
    selectors: readonly EvidenceSelector[],
    period: AuditPeriod | undefined,
    after: EvidenceCursor | undefined,
    limit: number,
  ): Promise<EvidenceRow[]> {
    const within = completedWithin(period, 'c.completed_at');
    const keyset = after ? 'and (c.completed_at, c.id) > (?::timestamptz, ?::uuid)' : '';
    const rows = await this.em.fork().execute<
      {
        id: string;
        person_id: string;
        employee_number: string | null;
        full_name: string;
        email: string;
        requirement_id: string;
        kind: string;
        subject: string;
        subject_version: string | null;
        completed_at: string;
        source: string;
        reference: string | null;
      }[]
    >(
      `select c.id, c.person_id, p.employee_number, p.full_name, p.email, c.requirement_id,
              c.kind, c.subject, c.subject_version,
              to_char(c.completed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as completed_at,
              c.source,
              case when c.kind = 'background_check' then null else c.reference end as reference
         from requirement_completion c
         join person p on p.id = c.person_id
        where (c.kind, c.subject) in ${SELECTED} ${within.sql} ${keyset}
        order by c.completed_at, c.id
        limit ?`,
      [
        JSON.stringify(selectors),
        ...within.params,
        ...(after ? [after.completedAt, after.id] : []),
        limit,
      ],
    );
    return rows.map((r) => ({
      id: r.id,
      personId: r.person_id,
      employeeNumber: r.employee_number,
      fullName: r.full_name,
      email: r.email,
      requirementId: r.requirement_id,
      kind: r.kind,
      subject: r.subject,
      subjectVersion: r.subject_version,
      completedAt: r.completed_at,
      source: r.source,
      reference: r.reference,
    }));
  }
}
