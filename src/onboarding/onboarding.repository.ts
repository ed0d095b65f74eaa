import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { distinctValues } from '../people/person-search';
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
  kind: string;
  subject: string;
  dueDate: string;
  daysOverdue: number;
}

export interface WeeklyCompletions {
  week: string;
  count: number;
}

const OPEN = "a.status not in ('done', 'waived', 'not_required')";

/**
 * Filters as SQL over `person p`, with their parameters. Department matches whatever the case,
 * as people type it; country codes are kept upper case.
 */
function where(filters: OnboardingFilters): { sql: string; params: unknown[] } {
  const clauses = ["p.status <> 'terminated'"];
  const params: unknown[] = [];
  if (filters.department) {
    clauses.push('lower(p.department) = lower(?)');
    params.push(filters.department);
  }
  if (filters.country) {
    clauses.push('p.country = upper(?)');
    params.push(filters.country);
  }
  if (filters.startMonth) {
    clauses.push("p.start_date >= ?::date and p.start_date < ?::date + interval '1 month'");
    params.push(`${filters.startMonth}-01`, `${filters.startMonth}-01`);
  }
  return { sql: clauses.join(' and '), params };
}

/** The same filters over the rollups' group keys ('' where the person's field is empty). */
function rollupWhere(filters: OnboardingFilters): { sql: string; params: unknown[] } {
  const clauses = ['true'];
  const params: unknown[] = [];
  if (filters.department) {
    clauses.push('lower(r.department) = lower(?)');
    params.push(filters.department);
  }
  if (filters.country) {
    clauses.push('r.country = upper(?)');
    params.push(filters.country);
  }
  if (filters.startMonth) {
    clauses.push('r.start_month = ?');
    params.push(filters.startMonth);
  }
  return { sql: clauses.join(' and '), params };
}

/** The headline figures of the overview. */
export interface Headline {
  /** People whose onboarding (cycle 0) is not finished. */
  onboarding: number;
  /** People with at least one onboarding task past its due date. */
  overdue: number;
}

/** The values the filters can take, from the data. */
export interface FilterChoices {
  departments: string[];
  countries: string[];
  startMonths: string[];
}

/** Aggregates for HR, computed in SQL: nothing loads every person into memory. */
@Injectable()
export class OnboardingRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * Onboarding (cycle 0) completion per department, country and start month, and the headline
   * totals, from the rollups the database keeps per group (onboarding-rollup.triggers.ts): a
   * few thousand groups whatever the headcount, each the sum of its rows (one after compaction,
   * a few more for the groups changed since). What is overdue today is the open total less
   * what falls due today or later, which is a short range of the due-date index.
   */
  async completionByAll(
    filters: OnboardingFilters,
    today: string,
  ): Promise<Record<Grouping, CompletionRow[]> & { headline: Headline }> {
    const w = rollupWhere(filters);
    const rows = await this.em.fork().execute<
      {
        grouping: Grouping | 'all';
        key: string;
        people: string;
        total: string;
        done: string;
        overdue: string;
        onboarding_people: string;
        overdue_people: string;
      }[]
    >(
      `with later as (
         select department, country, start_month, sum(open_count) as open_count,
                sum(first_count) as first_count
           from onboarding_rollup_due where due_date >= ?::date
          group by 1, 2, 3),
       leaf as (
         select coalesce(nullif(r.department, ''), '(none)') as department,
                coalesce(nullif(r.country, ''), '(none)') as country,
                coalesce(nullif(r.start_month, ''), '(none)') as start_month,
                r.people, r.total, r.done, r.onboarding,
                r.open - coalesce(l.open_count, 0) as overdue,
                r.onboarding - coalesce(l.first_count, 0) as overdue_people
           from (select department, country, start_month, sum(people) as people,
                        sum(total) as total, sum(done) as done, sum(open) as open,
                        sum(onboarding) as onboarding
                   from onboarding_rollup group by 1, 2, 3 having sum(people) <> 0) r
           left join later l using (department, country, start_month)
          where ${w.sql})
       select case when grouping(department) = 0 then 'department'
                   when grouping(country) = 0 then 'country'
                   when grouping(start_month) = 0 then 'start_month' else 'all' end as grouping,
              coalesce(department, country, start_month) as key,
              sum(people) as people, sum(total) as total, sum(done) as done,
              sum(overdue) as overdue, sum(onboarding) as onboarding_people,
              sum(overdue_people) as overdue_people
         from leaf
        group by grouping sets ((department), (country), (start_month), ())
        order by 1, 2`,
      [today, ...w.params],
    );
    const result: Record<Grouping, CompletionRow[]> & { headline: Headline } = {
      department: [],
      country: [],
      start_month: [],
      headline: { onboarding: 0, overdue: 0 },
    };
    for (const r of rows) {
      if (r.grouping === 'all') {
        result.headline = {
          onboarding: Number(r.onboarding_people ?? 0),
          overdue: Number(r.overdue_people ?? 0),
        };
        continue;
      }
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

  /** Background checks not yet decided (the statuses `/background-checks?status=pending` lists). */
  async checksPending(statuses: readonly string[]): Promise<number> {
    const [row] = await this.em
      .fork()
      .execute<{ count: string }[]>(
        `select count(*) as count from background_check where status in (${statuses.map(() => '?').join(', ')})`,
        [...statuses],
      );
    return Number(row.count);
  }

  /** The departments, countries and start months people onboarding have, from the data. */
  async filterChoices(): Promise<FilterChoices> {
    const em = this.em.fork();
    const [departments, countries, startMonths] = await Promise.all([
      distinctValues(em, 'onboarding_summary', 'department'),
      distinctValues(em.fork(), 'onboarding_summary', 'country'),
      distinctValues(em.fork(), 'onboarding_summary', 'start_month'),
    ]);
    return { departments, countries, startMonths: startMonths.reverse() };
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
        kind: string;
        subject: string;
        due_date: string;
        days_overdue: string;
      }[]
    >(
      `select a.id, a.person_id, p.full_name, p.email, p.department, p.country,
              a.requirement_id, a.kind, a.subject, to_char(a.due_date, 'YYYY-MM-DD') as due_date,
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
      kind: r.kind,
      subject: r.subject,
      dueDate: r.due_date,
      daysOverdue: Number(r.days_overdue),
    }));
  }

  /** Completions recorded per ISO week (Monday, UTC), for the chart: the rollup's deltas summed. */
  async weeklyCompletions(since: string): Promise<WeeklyCompletions[]> {
    const rows = await this.em.fork().execute<{ week: string; count: string }[]>(
      `select to_char(week, 'YYYY-MM-DD') as week, sum(count) as count from completion_week
        where week >= date_trunc('week', ?::date)::date group by week order by week`,
      [since],
    );
    return rows.map((r) => ({ week: r.week, count: Number(r.count) }));
  }
}
