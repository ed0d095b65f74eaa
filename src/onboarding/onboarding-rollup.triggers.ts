/*
 * Statement-level triggers that keep the HR overview's rollups (onboarding-rollup.entities.ts)
 * equal to what onboarding_summary and requirement_completion hold, by applying each
 * statement's changes as deltas. Every rollup write takes one transaction-scoped advisory lock
 * first, so concurrent derivations apply their deltas one after another and cannot deadlock on
 * rollup rows. The migration hr_search_indexes fills the rollups from existing data.
 */

/** The advisory lock key every rollup write takes. */
const ROLLUP_LOCK = 734_211;

type SummaryEvent = 'insert' | 'update' | 'delete';

/** The statement's rows as signed deltas: -1 for a row as it was, +1 as it is now. */
function delta(event: SummaryEvent): string {
  const rows = (table: string, sign: number) =>
    `select coalesce(department, '') as department, coalesce(country, '') as country,
            coalesce(start_month, '') as start_month, ${sign} as sign, total, done,
            open_due_dates
       from ${table} where not terminated`;
  const parts = [
    ...(event === 'insert' ? [] : [rows('old_rows', -1)]),
    ...(event === 'delete' ? [] : [rows('new_rows', 1)]),
  ];
  return `delta as (${parts.join(' union all ')})`;
}

function summaryFunction(event: SummaryEvent): string {
  const d = delta(event);
  const touched = `(select distinct department, country, start_month from delta) k`;
  return `create or replace function "onboarding_rollup_${event}_fn"() returns trigger as $$
begin
  perform pg_advisory_xact_lock(${ROLLUP_LOCK});
  with ${d}
  insert into onboarding_rollup as r
      (department, country, start_month, people, total, done, open, onboarding)
    select department, country, start_month, sum(sign), sum(sign * total), sum(sign * done),
           sum(sign * cardinality(open_due_dates)), sum(sign * (done < total)::int)
      from delta group by 1, 2, 3 order by 1, 2, 3
  on conflict (department, country, start_month) do update
    set people = r.people + excluded.people, total = r.total + excluded.total,
        done = r.done + excluded.done, open = r.open + excluded.open,
        onboarding = r.onboarding + excluded.onboarding;
  with ${d}
  insert into onboarding_rollup_due as r
      (department, country, start_month, due_date, open_count, first_count)
    select x.department, x.country, x.start_month, u.due, sum(x.sign),
           sum(x.sign * (u.ord = 1)::int)
      from delta x, unnest(x.open_due_dates) with ordinality as u(due, ord)
     group by 1, 2, 3, 4 order by 1, 2, 3, 4
  on conflict (department, country, start_month, due_date) do update
    set open_count = r.open_count + excluded.open_count,
        first_count = r.first_count + excluded.first_count;
  with ${d}
  delete from onboarding_rollup r using ${touched}
   where r.department = k.department and r.country = k.country
     and r.start_month = k.start_month and r.people = 0;
  with ${d}
  delete from onboarding_rollup_due r using ${touched}
   where r.department = k.department and r.country = k.country
     and r.start_month = k.start_month and r.open_count = 0 and r.first_count = 0;
  return null;
end;
$$ language plpgsql`;
}

function summaryTrigger(event: SummaryEvent): string {
  const tables = {
    insert: 'new table as new_rows',
    update: 'old table as old_rows new table as new_rows',
    delete: 'old table as old_rows',
  }[event];
  return `${summaryFunction(event)};
create trigger "onboarding_summary_rollup_${event}" after ${event} on "onboarding_summary"
  referencing ${tables} for each statement execute function "onboarding_rollup_${event}_fn"()`;
}

/** For OnboardingSummarySchema's `triggers`. */
export const ONBOARDING_SUMMARY_ROLLUP_TRIGGERS = (['insert', 'update', 'delete'] as const).map(
  (event) => ({
    name: `onboarding_summary_rollup_${event}`,
    timing: 'after' as const,
    events: [event],
    forEach: 'statement' as const,
    expression: summaryTrigger(event),
  }),
);

/** For RequirementCompletionSchema's `triggers`: completions are append-only, so inserts only. */
export const COMPLETION_WEEK_TRIGGER = {
  name: 'requirement_completion_week',
  timing: 'after' as const,
  events: ['insert' as const],
  forEach: 'statement' as const,
  expression: `create or replace function "completion_week_apply"() returns trigger as $$
begin
  perform pg_advisory_xact_lock(${ROLLUP_LOCK});
  insert into completion_week as w (week, count)
    select (date_trunc('week', completed_at at time zone 'UTC'))::date, count(*)
      from new_rows group by 1 order by 1
  on conflict (week) do update set count = w.count + excluded.count;
  return null;
end;
$$ language plpgsql;
create trigger "requirement_completion_week" after insert on "requirement_completion"
  referencing new table as new_rows for each statement execute function "completion_week_apply"()`,
};
