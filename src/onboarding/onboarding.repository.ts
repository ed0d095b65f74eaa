import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { OnboardingFilters, OverdueCursor } from './onboarding.filters';

export type Grouping = 'department' | 'country' | 'start_month';

export interface CompletionRow {
  key: string;
  people: number;
  total: number;
  done: number;
  overdue: number;
}

export interface OverdueRow {
  id: string;
  personId: string;
  fullName: string;
  email: string;
  department: string | null;
  country: string | null;
  requirementId: string;
  dueDate: string;
  daysOverdue: number;
}

export interface WeeklyCompletions {
  week: string;
  count: number;
}

const OPEN = "a.status not in ('done', 'waived')";

/** Filters as SQL over `person p`, with their parameters. */
function where(filters: OnboardingFilters): { sql: string; params: unknown[] } {
  const clauses = ["p.status <> 'terminated'"];
  const params: unknown[] = [];
  if (filters.department) {
    clauses.push('p.department = ?');
    params.push(filters.department);
  }
  if (filters.country) {
    clauses.push('p.country = ?');
    params.push(filters.country);
  }
  if (filters.startMonth) {
    clauses.push("to_char(p.start_date, 'YYYY-MM') = ?");
    params.push(filters.startMonth);
  }
  return { sql: clauses.join(' and '), params };
}

/** The same filters over the onboarding summary's copies of the person's fields. */
function summaryWhere(filters: OnboardingFilters): { sql: string; params: unknown[] } {
  const clauses = ['not s.terminated'];
  const params: unknown[] = [];
  if (filters.department) {
    clauses.push('s.department = ?');
    params.push(filters.department);
  }
  if (filters.country) {
    clauses.push('s.country = ?');
    params.push(filters.country);
  }
  if (filters.startMonth) {
    clauses.push('s.start_month = ?');
    params.push(filters.startMonth);
  }
  return { sql: clauses.join(' and '), params };
}

/** Aggregates for HR, computed in SQL: nothing loads every person into memory. */
@Injectable()
export class OnboardingRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * Onboarding (cycle 0) completion per department, country and start month in one pass over
   * the per-person summary the derivation keeps (one row per person, not every assignment).
   */
  async completionByAll(
    filters: OnboardingFilters,
    today: string,
  ): Promise<Record<Grouping, CompletionRow[]>> {
    const w = summaryWhere(filters);
    const rows = await this.em.fork().execute<
      {
        grouping: Grouping;
        key: string;
        people: string;
        total: string;
        done: string;
        overdue: string;
      }[]
    >(
      `with per_person as (
         select coalesce(s.department, '(none)') as department,
                coalesce(s.country, '(none)') as country,
                coalesce(s.start_month, '(none)') as start_month,
                s.total, s.done,
                (select count(*) from unnest(s.open_due_dates) d where d < ?::date) as overdue
           from onboarding_summary s
          where ${w.sql})
       select case when grouping(department) = 0 then 'department'
                   when grouping(country) = 0 then 'country' else 'start_month' end as grouping,
              coalesce(department, country, start_month) as key,
              count(*) as people, sum(total) as total, sum(done) as done, sum(overdue) as overdue
         from per_person
        group by grouping sets ((department), (country), (start_month))
        order by 1, 2`,
      [today, ...w.params],
    );
    const result: Record<Grouping, CompletionRow[]> = {
      department: [],
      country: [],
      start_month: [],
    };
    for (const r of rows) {
      result[r.grouping].push({
        key: r.key,
        people: Number(r.people),
        total: Number(r.total),
        done: Number(r.done),
        overdue: Number(r.overdue),
      });
    }
    return result;
  }

  /** One page of open assignments past their due date, oldest first, by keyset. */
  async overdue(
    filters: OnboardingFilters,
    today: string,
    after: OverdueCursor | undefined,
    limit: number,
  ): Promise<OverdueRow[]> {
    const w = where(filters);
    const keyset = after ? 'and (a.due_date, a.id) > (?::date, ?::uuid)' : '';
    const rows = await this.em.fork().execute<
      {
        id: string;
        person_id: string;
        full_name: string;
        email: string;
        department: string | null;
        country: string | null;
        requirement_id: string;
        due_date: string;
        days_overdue: string;
      }[]
    >(
      `select a.id, a.person_id, p.full_name, p.email, p.department, p.country,
              a.requirement_id, to_char(a.due_date, 'YYYY-MM-DD') as due_date,
              (?::date - a.due_date) as days_overdue
         from requirement_assignment a
         join person p on p.id = a.person_id
        where ${OPEN} and a.due_date < ?::date ${keyset} and ${w.sql}
        order by a.due_date, a.id
        limit ?`,
      [today, today, ...(after ? [after.dueDate, after.id] : []), ...w.params, limit],
    );
    return rows.map((r) => ({
      id: r.id,
      personId: r.person_id,
      fullName: r.full_name,
      email: r.email,
      department: r.department,
      country: r.country,
      requirementId: r.requirement_id,
      dueDate: r.due_date,
      daysOverdue: Number(r.days_overdue),
    }));
  }

  /** Completions recorded per ISO week, for the chart. */
  async weeklyCompletions(since: string): Promise<WeeklyCompletions[]> {
    const rows = await this.em.fork().execute<{ week: string; count: string }[]>(
      `select to_char(date_trunc('week', completed_at), 'YYYY-MM-DD') as week, count(*) as count
         from requirement_completion
        where completed_at >= ?::date
        group by 1
        order by 1`,
      [since],
    );
    return rows.map((r) => ({ week: r.week, count: Number(r.count) }));
  }
}

export interface HistoryRow {
  requirementId: string;
  subject: string;
  subjectVersion: string | null;
  at: string;
  what: 'completed' | 'waived';
  source: string;
  reason: string | null;
}

/** A person's completion and waiver history, newest first. */
export async function historyOf(em: EntityManager, personId: string): Promise<HistoryRow[]> {
  const rows = await em.fork().execute<
    {
      requirement_id: string;
      subject: string;
      subject_version: string | null;
      at: Date;
      what: 'completed' | 'waived';
      source: string;
      reason: string | null;
    }[]
  >(
    `select requirement_id, subject, subject_version, completed_at as at, 'completed' as what,
            source, null as reason
       from requirement_completion where person_id = ?
     union all
     select requirement_id, '' as subject, null, waived_at, 'waived', 'hr', reason
       from requirement_waiver where person_id = ?
     order by at desc
     limit 500`,
    [personId, personId],
  );
  return rows.map((r) => ({
    requirementId: r.requirement_id,
    subject: r.subject,
    subjectVersion: r.subject_version,
    at: new Date(r.at).toISOString(),
    what: r.what,
    source: r.source,
    reason: r.reason,
  }));
}
