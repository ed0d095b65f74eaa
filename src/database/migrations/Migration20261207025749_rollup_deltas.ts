import { Migration } from '@mikro-orm/migrations';

/**
 * The HR overview's rollups become signed delta rows (onboarding-rollup.triggers.ts): the
 * triggers append instead of updating one shared row under one advisory lock, which made every
 * signature in the organisation wait for the ones before it. Existing rows are valid deltas.
 */
export class Migration20261207025749_rollup_deltas extends Migration {
  override name = 'Migration20261207025749_rollup_deltas';

  override up(): void | Promise<void> {
    this.addSql(`alter table "completion_week" drop constraint "completion_week_pkey";`);
    this.addSql(`alter table "completion_week" add "id" bigserial primary key;`);
    this.addSql(`create index "completion_week_week_index" on "completion_week" ("week");`);

    this.addSql(`alter table "onboarding_rollup" drop constraint "onboarding_rollup_pkey";`);
    this.addSql(`alter table "onboarding_rollup" add "id" bigserial primary key;`);
    this.addSql(
      `create index "onboarding_rollup_department_country_start_month_index" on "onboarding_rollup" ("department", "country", "start_month");`,
    );

    this.addSql(
      `alter table "onboarding_rollup_due" drop constraint "onboarding_rollup_due_pkey";`,
    );
    this.addSql(`alter table "onboarding_rollup_due" add "id" bigserial primary key;`);

    this.addSql(
      `drop trigger if exists "onboarding_summary_rollup_delete" on "onboarding_summary";`,
    );
    this.addSql(
      `drop function if exists "onboarding_summary_onboarding_summary_rollup_delete_fn"();`,
    );
    this.addSql(
      `drop trigger if exists "onboarding_summary_rollup_insert" on "onboarding_summary";`,
    );
    this.addSql(
      `drop function if exists "onboarding_summary_onboarding_summary_rollup_insert_fn"();`,
    );
    this.addSql(
      `drop trigger if exists "onboarding_summary_rollup_update" on "onboarding_summary";`,
    );
    this.addSql(
      `drop function if exists "onboarding_summary_onboarding_summary_rollup_update_fn"();`,
    );
    this
      .addSql(`create or replace function "onboarding_rollup_delete_fn"() returns trigger as \$\$begin
  with delta as (select coalesce(department, '') as department, coalesce(country, '') as country,
            coalesce(start_month, '') as start_month, -1 as sign, total, done,
            open_due_dates
       from old_rows where not terminated)
  insert into onboarding_rollup
      (department, country, start_month, people, total, done, open, onboarding)
    select * from (
      select department, country, start_month, sum(sign)::int as people,
             sum(sign * total)::int as total, sum(sign * done)::int as done,
             sum(sign * cardinality(open_due_dates))::int as open,
             sum(sign * (done < total)::int)::int as onboarding
        from delta group by 1, 2, 3) g
     where people <> 0 or total <> 0 or done <> 0 or open <> 0 or onboarding <> 0;   with delta as (select coalesce(department, '') as department, coalesce(country, '') as country,
            coalesce(start_month, '') as start_month, -1 as sign, total, done,
            open_due_dates
       from old_rows where not terminated)
  insert into onboarding_rollup_due
      (department, country, start_month, due_date, open_count, first_count)
    select * from (
      select x.department, x.country, x.start_month, u.due, sum(x.sign)::int as open_count,
             sum(x.sign * (u.ord = 1)::int)::int as first_count
        from delta x, unnest(x.open_due_dates) with ordinality as u(due, ord)
       group by 1, 2, 3, 4) g
     where open_count <> 0 or first_count <> 0;   return null; end;\$\$ language plpgsql;`);
    this
      .addSql(`create trigger "onboarding_summary_rollup_delete" after delete on "onboarding_summary"
  referencing old table as old_rows for each statement execute function "onboarding_rollup_delete_fn"();`);
    this
      .addSql(`create or replace function "onboarding_rollup_insert_fn"() returns trigger as \$\$begin
  with delta as (select coalesce(department, '') as department, coalesce(country, '') as country,
            coalesce(start_month, '') as start_month, 1 as sign, total, done,
            open_due_dates
       from new_rows where not terminated)
  insert into onboarding_rollup
      (department, country, start_month, people, total, done, open, onboarding)
    select * from (
      select department, country, start_month, sum(sign)::int as people,
             sum(sign * total)::int as total, sum(sign * done)::int as done,
             sum(sign * cardinality(open_due_dates))::int as open,
             sum(sign * (done < total)::int)::int as onboarding
        from delta group by 1, 2, 3) g
     where people <> 0 or total <> 0 or done <> 0 or open <> 0 or onboarding <> 0;   with delta as (select coalesce(department, '') as department, coalesce(country, '') as country,
            coalesce(start_month, '') as start_month, 1 as sign, total, done,
            open_due_dates
       from new_rows where not terminated)
  insert into onboarding_rollup_due
      (department, country, start_month, due_date, open_count, first_count)
    select * from (
      select x.department, x.country, x.start_month, u.due, sum(x.sign)::int as open_count,
             sum(x.sign * (u.ord = 1)::int)::int as first_count
        from delta x, unnest(x.open_due_dates) with ordinality as u(due, ord)
       group by 1, 2, 3, 4) g
     where open_count <> 0 or first_count <> 0;   return null; end;\$\$ language plpgsql;`);
    this
      .addSql(`create trigger "onboarding_summary_rollup_insert" after insert on "onboarding_summary"
  referencing new table as new_rows for each statement execute function "onboarding_rollup_insert_fn"();`);
    this
      .addSql(`create or replace function "onboarding_rollup_update_fn"() returns trigger as \$\$begin
  with delta as (select coalesce(department, '') as department, coalesce(country, '') as country,
            coalesce(start_month, '') as start_month, -1 as sign, total, done,
            open_due_dates
       from old_rows where not terminated union all select coalesce(department, '') as department, coalesce(country, '') as country,
            coalesce(start_month, '') as start_month, 1 as sign, total, done,
            open_due_dates
       from new_rows where not terminated)
  insert into onboarding_rollup
      (department, country, start_month, people, total, done, open, onboarding)
    select * from (
      select department, country, start_month, sum(sign)::int as people,
             sum(sign * total)::int as total, sum(sign * done)::int as done,
             sum(sign * cardinality(open_due_dates))::int as open,
             sum(sign * (done < total)::int)::int as onboarding
        from delta group by 1, 2, 3) g
     where people <> 0 or total <> 0 or done <> 0 or open <> 0 or onboarding <> 0;   with delta as (select coalesce(department, '') as department, coalesce(country, '') as country,
            coalesce(start_month, '') as start_month, -1 as sign, total, done,
            open_due_dates
       from old_rows where not terminated union all select coalesce(department, '') as department, coalesce(country, '') as country,
            coalesce(start_month, '') as start_month, 1 as sign, total, done,
            open_due_dates
       from new_rows where not terminated)
  insert into onboarding_rollup_due
      (department, country, start_month, due_date, open_count, first_count)
    select * from (
      select x.department, x.country, x.start_month, u.due, sum(x.sign)::int as open_count,
             sum(x.sign * (u.ord = 1)::int)::int as first_count
        from delta x, unnest(x.open_due_dates) with ordinality as u(due, ord)
       group by 1, 2, 3, 4) g
     where open_count <> 0 or first_count <> 0;   return null; end;\$\$ language plpgsql;`);
    this
      .addSql(`create trigger "onboarding_summary_rollup_update" after update on "onboarding_summary"
  referencing old table as old_rows new table as new_rows for each statement execute function "onboarding_rollup_update_fn"();`);

    this.addSql(
      `drop trigger if exists "requirement_completion_week" on "requirement_completion";`,
    );
    this.addSql(
      `drop function if exists "requirement_completion_requirement_completion_week_fn"();`,
    );
    this.addSql(`create or replace function "completion_week_apply"() returns trigger as \$\$begin
  insert into completion_week (week, count)
    select (date_trunc('week', completed_at at time zone 'UTC'))::date, count(*)
      from new_rows group by 1;   return null; end;\$\$ language plpgsql;`);
    this
      .addSql(`create trigger "requirement_completion_week" after insert on "requirement_completion"
  referencing new table as new_rows for each statement execute function "completion_week_apply"();`);
  }

  override down(): void | Promise<void> {
    // Back to one row per group before the group keys are primary keys again, with no delta
    // arriving in between; a group that sums to nothing goes, as the old triggers deleted it.
    this.addSql(
      `lock table "completion_week", "onboarding_rollup", "onboarding_rollup_due" in exclusive mode;`,
    );
    for (const [table, keys, sums] of [
      ['completion_week', 'week', 'count'],
      [
        'onboarding_rollup',
        'department, country, start_month',
        'people, total, done, open, onboarding',
      ],
      [
        'onboarding_rollup_due',
        'department, country, start_month, due_date',
        'open_count, first_count',
      ],
    ]) {
      this.addSql(
        `with gone as (delete from "${table}" returning ${keys}, ${sums}) insert into "${table}" (${keys}, ${sums}) select ${keys}, ${sums
          .split(', ')
          .map((c) => `sum(${c})`)
          .join(', ')} from gone group by ${keys} having ${sums
          .split(', ')
          .map((c) => `sum(${c}) <> 0`)
          .join(' or ')};`,
      );
    }
    this.addSql(`drop index "completion_week_week_index";`);
    this.addSql(`alter table "completion_week" drop constraint "completion_week_pkey";`);
    this.addSql(`alter table "completion_week" drop column "id";`);
    this.addSql(`alter table "completion_week" add primary key ("week");`);

    this.addSql(`drop index "onboarding_rollup_department_country_start_month_index";`);
    this.addSql(`alter table "onboarding_rollup" drop constraint "onboarding_rollup_pkey";`);
    this.addSql(`alter table "onboarding_rollup" drop column "id";`);
    this.addSql(
      `alter table "onboarding_rollup" add primary key ("department", "country", "start_month");`,
    );

    this.addSql(
      `alter table "onboarding_rollup_due" drop constraint "onboarding_rollup_due_pkey";`,
    );
    this.addSql(`alter table "onboarding_rollup_due" drop column "id";`);
    this.addSql(
      `alter table "onboarding_rollup_due" add primary key ("department", "country", "start_month", "due_date");`,
    );

    this.addSql(
      `drop trigger if exists "onboarding_summary_rollup_insert" on "onboarding_summary";`,
    );
    this.addSql(
      `drop function if exists "onboarding_summary_onboarding_summary_rollup_insert_fn"();`,
    );
    this.addSql(
      `drop trigger if exists "onboarding_summary_rollup_update" on "onboarding_summary";`,
    );
    this.addSql(
      `drop function if exists "onboarding_summary_onboarding_summary_rollup_update_fn"();`,
    );
    this.addSql(
      `drop trigger if exists "onboarding_summary_rollup_delete" on "onboarding_summary";`,
    );
    this.addSql(
      `drop function if exists "onboarding_summary_onboarding_summary_rollup_delete_fn"();`,
    );
    this
      .addSql(`create or replace function "onboarding_rollup_insert_fn"() returns trigger as \$\$begin
  perform pg_advisory_xact_lock(734211);   with delta as (select coalesce(department, '') as department, coalesce(country, '') as country,
            coalesce(start_month, '') as start_month, 1 as sign, total, done,
            open_due_dates
       from new_rows where not terminated)
  insert into onboarding_rollup as r
      (department, country, start_month, people, total, done, open, onboarding)
    select department, country, start_month, sum(sign), sum(sign * total), sum(sign * done),
           sum(sign * cardinality(open_due_dates)), sum(sign * (done < total)::int)
      from delta group by 1, 2, 3 order by 1, 2, 3
  on conflict (department, country, start_month) do update
    set people = r.people + excluded.people, total = r.total + excluded.total,
        done = r.done + excluded.done, open = r.open + excluded.open,
        onboarding = r.onboarding + excluded.onboarding;   with delta as (select coalesce(department, '') as department, coalesce(country, '') as country,
            coalesce(start_month, '') as start_month, 1 as sign, total, done,
            open_due_dates
       from new_rows where not terminated)
  insert into onboarding_rollup_due as r
      (department, country, start_month, due_date, open_count, first_count)
    select x.department, x.country, x.start_month, u.due, sum(x.sign),
           sum(x.sign * (u.ord = 1)::int)
      from delta x, unnest(x.open_due_dates) with ordinality as u(due, ord)
     group by 1, 2, 3, 4 order by 1, 2, 3, 4
  on conflict (department, country, start_month, due_date) do update
    set open_count = r.open_count + excluded.open_count,
        first_count = r.first_count + excluded.first_count;   with delta as (select coalesce(department, '') as department, coalesce(country, '') as country,
            coalesce(start_month, '') as start_month, 1 as sign, total, done,
            open_due_dates
       from new_rows where not terminated)
  delete from onboarding_rollup r using (select distinct department, country, start_month from delta) k
   where r.department = k.department and r.country = k.country
     and r.start_month = k.start_month and r.people = 0;   with delta as (select coalesce(department, '') as department, coalesce(country, '') as country,
            coalesce(start_month, '') as start_month, 1 as sign, total, done,
            open_due_dates
       from new_rows where not terminated)
  delete from onboarding_rollup_due r using (select distinct department, country, start_month from delta) k
   where r.department = k.department and r.country = k.country
     and r.start_month = k.start_month and r.open_count = 0 and r.first_count = 0;   return null; end;\$\$ language plpgsql;`);
    this
      .addSql(`create trigger "onboarding_summary_rollup_insert" after insert on "onboarding_summary"
  referencing new table as new_rows for each statement execute function "onboarding_rollup_insert_fn"();`);
    this
      .addSql(`create or replace function "onboarding_rollup_update_fn"() returns trigger as \$\$begin
  perform pg_advisory_xact_lock(734211);   with delta as (select coalesce(department, '') as department, coalesce(country, '') as country,
            coalesce(start_month, '') as start_month, -1 as sign, total, done,
            open_due_dates
       from old_rows where not terminated union all select coalesce(department, '') as department, coalesce(country, '') as country,
            coalesce(start_month, '') as start_month, 1 as sign, total, done,
            open_due_dates
       from new_rows where not terminated)
  insert into onboarding_rollup as r
      (department, country, start_month, people, total, done, open, onboarding)
    select department, country, start_month, sum(sign), sum(sign * total), sum(sign * done),
           sum(sign * cardinality(open_due_dates)), sum(sign * (done < total)::int)
      from delta group by 1, 2, 3 order by 1, 2, 3
  on conflict (department, country, start_month) do update
    set people = r.people + excluded.people, total = r.total + excluded.total,
        done = r.done + excluded.done, open = r.open + excluded.open,
        onboarding = r.onboarding + excluded.onboarding;   with delta as (select coalesce(department, '') as department, coalesce(country, '') as country,
            coalesce(start_month, '') as start_month, -1 as sign, total, done,
            open_due_dates
       from old_rows where not terminated union all select coalesce(department, '') as department, coalesce(country, '') as country,
            coalesce(start_month, '') as start_month, 1 as sign, total, done,
            open_due_dates
       from new_rows where not terminated)
  insert into onboarding_rollup_due as r
      (department, country, start_month, due_date, open_count, first_count)
    select x.department, x.country, x.start_month, u.due, sum(x.sign),
           sum(x.sign * (u.ord = 1)::int)
      from delta x, unnest(x.open_due_dates) with ordinality as u(due, ord)
     group by 1, 2, 3, 4 order by 1, 2, 3, 4
  on conflict (department, country, start_month, due_date) do update
    set open_count = r.open_count + excluded.open_count,
        first_count = r.first_count + excluded.first_count;   with delta as (select coalesce(department, '') as department, coalesce(country, '') as country,
            coalesce(start_month, '') as start_month, -1 as sign, total, done,
            open_due_dates
       from old_rows where not terminated union all select coalesce(department, '') as department, coalesce(country, '') as country,
            coalesce(start_month, '') as start_month, 1 as sign, total, done,
            open_due_dates
       from new_rows where not terminated)
  delete from onboarding_rollup r using (select distinct department, country, start_month from delta) k
   where r.department = k.department and r.country = k.country
     and r.start_month = k.start_month and r.people = 0;   with delta as (select coalesce(department, '') as department, coalesce(country, '') as country,
            coalesce(start_month, '') as start_month, -1 as sign, total, done,
            open_due_dates
       from old_rows where not terminated union all select coalesce(department, '') as department, coalesce(country, '') as country,
            coalesce(start_month, '') as start_month, 1 as sign, total, done,
            open_due_dates
       from new_rows where not terminated)
  delete from onboarding_rollup_due r using (select distinct department, country, start_month from delta) k
   where r.department = k.department and r.country = k.country
     and r.start_month = k.start_month and r.open_count = 0 and r.first_count = 0;   return null; end;\$\$ language plpgsql;`);
    this
      .addSql(`create trigger "onboarding_summary_rollup_update" after update on "onboarding_summary"
  referencing old table as old_rows new table as new_rows for each statement execute function "onboarding_rollup_update_fn"();`);
    this
      .addSql(`create or replace function "onboarding_rollup_delete_fn"() returns trigger as \$\$begin
  perform pg_advisory_xact_lock(734211);   with delta as (select coalesce(department, '') as department, coalesce(country, '') as country,
            coalesce(start_month, '') as start_month, -1 as sign, total, done,
            open_due_dates
       from old_rows where not terminated)
  insert into onboarding_rollup as r
      (department, country, start_month, people, total, done, open, onboarding)
    select department, country, start_month, sum(sign), sum(sign * total), sum(sign * done),
           sum(sign * cardinality(open_due_dates)), sum(sign * (done < total)::int)
      from delta group by 1, 2, 3 order by 1, 2, 3
  on conflict (department, country, start_month) do update
    set people = r.people + excluded.people, total = r.total + excluded.total,
        done = r.done + excluded.done, open = r.open + excluded.open,
        onboarding = r.onboarding + excluded.onboarding;   with delta as (select coalesce(department, '') as department, coalesce(country, '') as country,
            coalesce(start_month, '') as start_month, -1 as sign, total, done,
            open_due_dates
       from old_rows where not terminated)
  insert into onboarding_rollup_due as r
      (department, country, start_month, due_date, open_count, first_count)
    select x.department, x.country, x.start_month, u.due, sum(x.sign),
           sum(x.sign * (u.ord = 1)::int)
      from delta x, unnest(x.open_due_dates) with ordinality as u(due, ord)
     group by 1, 2, 3, 4 order by 1, 2, 3, 4
  on conflict (department, country, start_month, due_date) do update
    set open_count = r.open_count + excluded.open_count,
        first_count = r.first_count + excluded.first_count;   with delta as (select coalesce(department, '') as department, coalesce(country, '') as country,
            coalesce(start_month, '') as start_month, -1 as sign, total, done,
            open_due_dates
       from old_rows where not terminated)
  delete from onboarding_rollup r using (select distinct department, country, start_month from delta) k
   where r.department = k.department and r.country = k.country
     and r.start_month = k.start_month and r.people = 0;   with delta as (select coalesce(department, '') as department, coalesce(country, '') as country,
            coalesce(start_month, '') as start_month, -1 as sign, total, done,
            open_due_dates
       from old_rows where not terminated)
  delete from onboarding_rollup_due r using (select distinct department, country, start_month from delta) k
   where r.department = k.department and r.country = k.country
     and r.start_month = k.start_month and r.open_count = 0 and r.first_count = 0;   return null; end;\$\$ language plpgsql;`);
    this
      .addSql(`create trigger "onboarding_summary_rollup_delete" after delete on "onboarding_summary"
  referencing old table as old_rows for each statement execute function "onboarding_rollup_delete_fn"();`);

    this.addSql(
      `drop trigger if exists "requirement_completion_week" on "requirement_completion";`,
    );
    this.addSql(
      `drop function if exists "requirement_completion_requirement_completion_week_fn"();`,
    );
    this.addSql(`create or replace function "completion_week_apply"() returns trigger as \$\$begin
  perform pg_advisory_xact_lock(734211);   insert into completion_week as w (week, count)
    select (date_trunc('week', completed_at at time zone 'UTC'))::date, count(*)
      from new_rows group by 1 order by 1
  on conflict (week) do update set count = w.count + excluded.count;   return null; end;\$\$ language plpgsql;`);
    this
      .addSql(`create trigger "requirement_completion_week" after insert on "requirement_completion"
  referencing new table as new_rows for each statement execute function "completion_week_apply"();`);
  }
}
