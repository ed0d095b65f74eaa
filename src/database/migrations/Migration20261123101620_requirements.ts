import { Migration } from '@mikro-orm/migrations';

export class Migration20261123101620_requirements extends Migration {
  override name = 'Migration20261123101620_requirements';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "requirement_assignment" ("id" uuid not null, "person_id" uuid not null, "requirement_id" varchar(100) not null, "kind" text not null, "subject" varchar(100) not null, "cycle" int not null, "due_date" date not null, "status" text not null, "completed_at" timestamptz null, "waived_at" timestamptz null, "waived_by" uuid null, "waiver_reason" varchar(1000) null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `create index "requirement_assignment_status_due_date_index" on "requirement_assignment" ("status", "due_date");`,
    );
    this.addSql(
      `create index "requirement_assignment_requirement_status_index" on "requirement_assignment" ("requirement_id", "status");`,
    );
    this.addSql(
      `alter table "requirement_assignment" add constraint "requirement_assignment_person_requirement_cycle_unique" unique ("person_id", "requirement_id", "cycle");`,
    );

    this.addSql(
      `create table "requirement_completion" ("id" uuid not null, "person_id" uuid not null, "requirement_id" varchar(100) not null, "kind" text not null, "subject" varchar(100) not null, "subject_version" varchar(64) null, "completed_at" timestamptz not null, "source" text not null, "reference" varchar(256) null, "recorded_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `create index "requirement_completion_person_id_index" on "requirement_completion" ("person_id");`,
    );

    this.addSql(
      `create table "requirement_waiver" ("id" uuid not null, "person_id" uuid not null, "requirement_id" varchar(100) not null, "cycle" int not null, "waived_at" timestamptz not null, "waived_by_id" uuid not null, "reason" varchar(1000) not null, primary key ("id"));`,
    );
    this.addSql(
      `create index "requirement_waiver_person_id_index" on "requirement_waiver" ("person_id");`,
    );

    this.addSql(
      `alter table "requirement_assignment" add constraint "requirement_assignment_person_id_foreign" foreign key ("person_id") references "person" ("id");`,
    );
    this.addSql(
      `alter table "requirement_assignment" add constraint "requirement_assignment_kind_check" check ("kind" in ('document', 'training', 'background_check'));`,
    );
    this.addSql(
      `alter table "requirement_assignment" add constraint "requirement_assignment_status_check" check ("status" in ('not_started', 'in_progress', 'done', 'overdue', 'waived'));`,
    );

    this.addSql(
      `alter table "requirement_completion" add constraint "requirement_completion_person_id_foreign" foreign key ("person_id") references "person" ("id");`,
    );
    this.addSql(
      `alter table "requirement_completion" add constraint "requirement_completion_kind_check" check ("kind" in ('document', 'training', 'background_check'));`,
    );
    this.addSql(
      `alter table "requirement_completion" add constraint "requirement_completion_source_check" check ("source" in ('test', 'signature', 'training', 'background_check', 'import'));`,
    );
    this.addSql(
      `create or replace function "requirement_completion_requirement_completion_append_only_fn"() returns trigger as \$\$ begin raise exception 'table % is append-only: % is not allowed', tg_table_name, tg_op using errcode = 'restrict_violation'; end; \$\$ language plpgsql;`,
    );
    this.addSql(
      `create trigger "requirement_completion_append_only" BEFORE UPDATE OR DELETE on "requirement_completion" for each ROW execute function "requirement_completion_requirement_completion_append_only_fn"();`,
    );

    this.addSql(
      `alter table "requirement_waiver" add constraint "requirement_waiver_person_id_foreign" foreign key ("person_id") references "person" ("id");`,
    );
    this.addSql(
      `alter table "requirement_waiver" add constraint "requirement_waiver_waived_by_id_foreign" foreign key ("waived_by_id") references "person" ("id");`,
    );
    this.addSql(
      `alter table "requirement_waiver" add constraint "requirement_waiver_reason_check" check (length(btrim(reason)) > 0);`,
    );
    this.addSql(
      `create or replace function "requirement_waiver_requirement_waiver_append_only_fn"() returns trigger as \$\$ begin raise exception 'table % is append-only: % is not allowed', tg_table_name, tg_op using errcode = 'restrict_violation'; end; \$\$ language plpgsql;`,
    );
    this.addSql(
      `create trigger "requirement_waiver_append_only" BEFORE UPDATE OR DELETE on "requirement_waiver" for each ROW execute function "requirement_waiver_requirement_waiver_append_only_fn"();`,
    );

    // Written by hand: the schema introspection does not see TRUNCATE triggers.
    this.addSql(
      `create or replace function "requirement_evidence_no_truncate_fn"() returns trigger as \$\$ begin raise exception 'table % is append-only: % is not allowed', tg_table_name, tg_op using errcode = 'restrict_violation'; end; \$\$ language plpgsql;`,
    );
    this.addSql(
      `create trigger "requirement_completion_no_truncate" before truncate on "requirement_completion" for each statement execute function "requirement_evidence_no_truncate_fn"();`,
    );
    this.addSql(
      `create trigger "requirement_waiver_no_truncate" before truncate on "requirement_waiver" for each statement execute function "requirement_evidence_no_truncate_fn"();`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(
      `drop trigger if exists "requirement_completion_no_truncate" on "requirement_completion";`,
    );
    this.addSql(`drop trigger if exists "requirement_waiver_no_truncate" on "requirement_waiver";`);
    this.addSql(`drop function if exists "requirement_evidence_no_truncate_fn"();`);
    this.addSql(`drop table if exists "requirement_assignment" cascade;`);
    this.addSql(
      `drop trigger if exists "requirement_completion_append_only" on "requirement_completion";`,
    );
    this.addSql(
      `drop function if exists "requirement_completion_requirement_completion_append_only_fn"();`,
    );
    this.addSql(`drop table if exists "requirement_completion" cascade;`);
    this.addSql(`drop trigger if exists "requirement_waiver_append_only" on "requirement_waiver";`);
    this.addSql(
      `drop function if exists "requirement_waiver_requirement_waiver_append_only_fn"();`,
    );
    this.addSql(`drop table if exists "requirement_waiver" cascade;`);
  }
}
