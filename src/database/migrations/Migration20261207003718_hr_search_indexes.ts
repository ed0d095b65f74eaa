import { Migration } from '@mikro-orm/migrations';

export class Migration20261207003718_hr_search_indexes extends Migration {
  override name = 'Migration20261207003718_hr_search_indexes';

  override up(): void | Promise<void> {
    // People search's trigram index (person_search_trgm below); the embedded PGlite loads it too.
    this.addSql(`create extension if not exists pg_trgm;`);
    this.addSql(
      `create table "completion_week" ("week" date not null, "count" int not null, primary key ("week"));`,
    );

    this.addSql(
      `create table "onboarding_rollup" ("department" varchar(200) not null, "country" varchar(2) not null, "start_month" varchar(7) not null, "people" int not null, "total" int not null, "done" int not null, "open" int not null, "onboarding" int not null, primary key ("department", "country", "start_month"));`,
    );

    this.addSql(
      `create table "onboarding_rollup_due" ("department" varchar(200) not null, "country" varchar(2) not null, "start_month" varchar(7) not null, "due_date" date not null, "open_count" int not null, "first_count" int not null, primary key ("department", "country", "start_month", "due_date"));`,
    );
    this.addSql(
      `create index "onboarding_rollup_due_due_date_index" on "onboarding_rollup_due" ("due_date");`,
    );

    this.addSql(`create index "person_full_name_id_index" on "person" ("full_name", "id");`);
    this.addSql(`create index "person_department_lower_index" on "person" (lower("department"));`);
    this.addSql(
      `create index "person_search_trgm" on "person" using gin ((lower("full_name" || ' ' || "email" || ' ' || coalesce("employee_number", ''))) gin_trgm_ops);`,
    );

    // The rollups start from what is there; the triggers below keep them in step.
    this
      .addSql(`insert into "onboarding_rollup" ("department", "country", "start_month", "people", "total", "done", "open", "onboarding")
      select coalesce(department, ''), coalesce(country, ''), coalesce(start_month, ''), count(*), sum(total), sum(done),
             sum(cardinality(open_due_dates)), count(*) filter (where done < total)
        from onboarding_summary where not terminated group by 1, 2, 3;`);
    this
      .addSql(`insert into "onboarding_rollup_due" ("department", "country", "start_month", "due_date", "open_count", "first_count")
      select coalesce(s.department, ''), coalesce(s.country, ''), coalesce(s.start_month, ''), u.due, count(*),
             count(*) filter (where u.ord = 1)
        from onboarding_summary s, unnest(s.open_due_dates) with ordinality as u(due, ord)
       where not s.terminated group by 1, 2, 3, 4;`);
    this.addSql(`insert into "completion_week" ("week", "count")
      select (date_trunc('week', completed_at at time zone 'UTC'))::date, count(*) from requirement_completion group by 1;`);

    this.addSql(
      `create index "onboarding_summary_department_index" on "onboarding_summary" ("department");`,
    );
    this.addSql(
      `create index "onboarding_summary_country_index" on "onboarding_summary" ("country");`,
    );
    this.addSql(
      `create index "onboarding_summary_start_month_index" on "onboarding_summary" ("start_month");`,
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

    this.addSql(`create or replace function "completion_week_apply"() returns trigger as \$\$begin
  perform pg_advisory_xact_lock(734211);   insert into completion_week as w (week, count)
    select (date_trunc('week', completed_at at time zone 'UTC'))::date, count(*)
      from new_rows group by 1 order by 1
  on conflict (week) do update set count = w.count + excluded.count;   return null; end;\$\$ language plpgsql;`);
    this
      .addSql(`create trigger "requirement_completion_week" after insert on "requirement_completion"
  referencing new table as new_rows for each statement execute function "completion_week_apply"();`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "completion_week" cascade;`);
    this.addSql(`drop table if exists "onboarding_rollup" cascade;`);
    this.addSql(`drop table if exists "onboarding_rollup_due" cascade;`);

    this.addSql(`drop index "onboarding_summary_department_index";`);
    this.addSql(`drop index "onboarding_summary_country_index";`);
    this.addSql(`drop index "onboarding_summary_start_month_index";`);
    this.addSql(
      `drop trigger if exists "onboarding_summary_rollup_insert" on "onboarding_summary";`,
    );
    this.addSql(`drop function if exists "onboarding_rollup_insert_fn"();`);
    this.addSql(
      `drop trigger if exists "onboarding_summary_rollup_update" on "onboarding_summary";`,
    );
    this.addSql(`drop function if exists "onboarding_rollup_update_fn"();`);
    this.addSql(
      `drop trigger if exists "onboarding_summary_rollup_delete" on "onboarding_summary";`,
    );
    this.addSql(`drop function if exists "onboarding_rollup_delete_fn"();`);

    this.addSql(`drop index "person_full_name_id_index";`);
    this.addSql(`drop index "person_department_lower_index";`);
    this.addSql(`drop index "person_search_trgm";`);

    this.addSql(
      `drop trigger if exists "requirement_completion_week" on "requirement_completion";`,
    );
    this.addSql(`drop function if exists "completion_week_apply"();`);
  }
}
