/*
 * Statement-level triggers that keep the HR overview's rollups (onboarding-rollup.entities.ts)
 * equal to what onboarding_summary and requirement_completion hold. Each statement appends its
 * changes as signed delta rows, one per group it changed; it never updates a shared row. So
 * concurrent derivations and signatures neither wait for one another nor deadlock on rollup
 * rows: before, one advisory lock serialised every rollup write in the organisation, and every
 * signature waited for the ones before it. Readers sum the deltas per group; the compactor
 * (onboarding-rollup.compactor.ts) folds them back to one row per group now and then.
 */

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

/** The rollups' value columns and how a delta row of the summary contributes to each. */
export const ROLLUP_SUMS = {
  onboarding_rollup: ['people', 'total', 'done', 'open', 'onboarding'],
  onboarding_rollup_due: ['open_count', 'first_count'],
  completion_week: ['count'],
} as const;

/** A group whose sums are all zero changed nothing: no row for it. */
const changed = (sums: readonly string[]) => sums.map((sum) => `${sum} <> 0`).join(' or ');

function summaryFunction(event: SummaryEvent): string {
  const d = delta(event);
  return `create or replace function "onboarding_rollup_${event}_fn"() returns trigger as $$
begin
  with ${d}
  insert into onboarding_rollup
      (department, country, start_month, people, total, done, open, onboarding)
    select * from (
      select department, country, start_month, sum(sign)::int as people,
             sum(sign * total)::int as total, sum(sign * done)::int as done,
             sum(sign * cardinality(open_due_dates))::int as open,
             sum(sign * (done < total)::int)::int as onboarding
        from delta group by 1, 2, 3) g
     where ${changed(ROLLUP_SUMS.onboarding_rollup)};
  with ${d}
  insert into onboarding_rollup_due
      (department, country, start_month, due_date, open_count, first_count)
    select * from (
      select x.department, x.country, x.start_month, u.due, sum(x.sign)::int as open_count,
             sum(x.sign * (u.ord = 1)::int)::int as first_count
        from delta x, unnest(x.open_due_dates) with ordinality as u(due, ord)
       group by 1, 2, 3, 4) g
     where ${changed(ROLLUP_SUMS.onboarding_rollup_due)};
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
  insert into completion_week (week, count)
    select (date_trunc('week', completed_at at time zone 'UTC'))::date, count(*)
      from new_rows group by 1;
  return null;
end;
$$ language plpgsql;
create trigger "requirement_completion_week" after insert on "requirement_completion"
  referencing new table as new_rows for each statement execute function "completion_week_apply"()`,
};
