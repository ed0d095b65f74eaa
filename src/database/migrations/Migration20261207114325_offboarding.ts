import { Migration } from '@mikro-orm/migrations';

export class Migration20261207114325_offboarding extends Migration {
  override name = 'Migration20261207114325_offboarding';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "offboarding_task_record" ("id" uuid not null, "person_id" uuid not null, "requirement_id" varchar(100) not null, "subject" varchar(100) not null, "done_by" uuid not null, "done_as" varchar(16) not null, "note" varchar(1000) null, "completed_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `create index "offboarding_task_record_person_id_index" on "offboarding_task_record" ("person_id");`,
    );

    this.addSql(
      `create table "signing_link" ("id" uuid not null, "person_id" uuid not null, "token_hash" varchar(64) not null, "created_by" uuid not null, "created_at" timestamptz not null, "expires_at" timestamptz not null, "revoked_at" timestamptz null, "revoked_by" uuid null, "used_at" timestamptz null, "signature_id" uuid null, primary key ("id"));`,
    );
    this.addSql(`create index "signing_link_person_id_index" on "signing_link" ("person_id");`);
    this.addSql(
      `alter table "signing_link" add constraint "signing_link_token_hash_unique" unique ("token_hash");`,
    );

    this.addSql(
      `alter table "requirement_completion" drop constraint "requirement_completion_source_check";`,
    );
    this.addSql(
      `alter table "requirement_completion" add constraint "requirement_completion_source_check" check ("source" in ('test', 'signature', 'training', 'background_check', 'import', 'offboarding_task'));`,
    );

    this.addSql(
      `alter table "offboarding_task_record" add constraint "offboarding_task_record_person_id_foreign" foreign key ("person_id") references "person" ("id");`,
    );
    this.addSql(
      `create or replace function "offboarding_task_record_offboarding_task_record_append_only_fn"() returns trigger as \$\$ begin if tg_op = 'DELETE' and current_setting('attest.retention_purge', true) = 'on' then return old; end if; raise exception 'table % is append-only: % is not allowed', tg_table_name, tg_op using errcode = 'restrict_violation'; end; \$\$ language plpgsql;`,
    );
    this.addSql(
      `create trigger "offboarding_task_record_append_only" BEFORE UPDATE OR DELETE on "offboarding_task_record" for each ROW execute function "offboarding_task_record_offboarding_task_record_append_only_fn"();`,
    );

    this.addSql(
      `alter table "signing_link" add constraint "signing_link_person_id_foreign" foreign key ("person_id") references "person" ("id");`,
    );

    // Written by hand (expression indexes are not diffed): "not required after leaving" is
    // closed, so the overdue list's partial index leaves it out with done and waived.
    this.addSql(`drop index if exists "requirement_assignment_open_due_index";`);
    this.addSql(
      `create index "requirement_assignment_open_due_index" on "requirement_assignment" ("due_date", "id") where "status" not in ('done', 'waived', 'not_required');`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index if exists "requirement_assignment_open_due_index";`);
    this.addSql(
      `create index "requirement_assignment_open_due_index" on "requirement_assignment" ("due_date", "id") where "status" not in ('done', 'waived');`,
    );
    this.addSql(
      `drop trigger if exists "offboarding_task_record_append_only" on "offboarding_task_record";`,
    );
    this.addSql(
      `drop function if exists "offboarding_task_record_offboarding_task_record_append_only_fn"();`,
    );
    this.addSql(`drop table if exists "offboarding_task_record" cascade;`);
    this.addSql(`drop table if exists "signing_link" cascade;`);

    this.addSql(
      `alter table "requirement_completion" drop constraint "requirement_completion_source_check";`,
    );
    this.addSql(
      `alter table "requirement_completion" add constraint "requirement_completion_source_check" check ("source" in ('test', 'signature', 'training', 'background_check', 'import'));`,
    );
  }
}
