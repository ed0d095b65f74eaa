import { Migration } from '@mikro-orm/migrations';

export class Migration20261123103720_background_checks extends Migration {
  override name = 'Migration20261123103720_background_checks';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "api_token" ("id" uuid not null, "name" varchar(100) not null, "role" text not null, "token_hash" varchar(64) not null, "created_at" timestamptz not null, "expires_at" timestamptz null, "revoked_at" timestamptz null, "last_used_at" timestamptz null, primary key ("id"));`,
    );
    this.addSql(`alter table "api_token" add constraint "api_token_name_unique" unique ("name");`);
    this.addSql(
      `alter table "api_token" add constraint "api_token_token_hash_unique" unique ("token_hash");`,
    );

    this.addSql(
      `create table "background_check" ("id" uuid not null, "person_id" uuid not null, "type" text not null, "jurisdiction" varchar(6) not null, "provider_name" varchar(100) null, "provider_reference" varchar(200) null, "invited_at" timestamptz null, "started_at" timestamptz null, "completed_at" timestamptz null, "expires_at" timestamptz null, "status" text not null, "waiver_reason" varchar(1000) null, "adjudication_notes_ciphertext" text null, "report_reference_ciphertext" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `create index "background_check_status_type_index" on "background_check" ("status", "type");`,
    );
    this.addSql(
      `alter table "background_check" add constraint "background_check_person_type_unique" unique ("person_id", "type");`,
    );
    this.addSql(
      `alter table "background_check" add constraint "background_check_provider_reference_unique" unique ("provider_name", "provider_reference");`,
    );

    this.addSql(
      `create table "background_check_event" ("id" uuid not null, "check_id" uuid not null, "at" timestamptz not null, "actor_id" varchar(140) not null, "from_status" text null, "to_status" text not null, "source" text not null, primary key ("id"));`,
    );
    this.addSql(
      `create index "background_check_event_check_at_index" on "background_check_event" ("check_id", "at");`,
    );

    this.addSql(
      `alter table "api_token" add constraint "api_token_role_check" check ("role" in ('integration', 'auditor'));`,
    );

    this.addSql(
      `alter table "background_check" add constraint "background_check_person_id_foreign" foreign key ("person_id") references "person" ("id");`,
    );
    this.addSql(
      `alter table "background_check" add constraint "background_check_waiver_reason_check" check (status <> 'waived' or length(btrim(waiver_reason)) > 0);`,
    );
    this.addSql(
      `alter table "background_check" add constraint "background_check_type_check" check ("type" in ('identity', 'employment_verification', 'criminal_record', 'education', 'right_to_work', 'credit'));`,
    );
    this.addSql(
      `alter table "background_check" add constraint "background_check_status_check" check ("status" in ('not_started', 'invited', 'in_progress', 'clear', 'consider', 'adverse_action', 'waived', 'expired'));`,
    );

    this.addSql(
      `alter table "background_check_event" add constraint "background_check_event_check_id_foreign" foreign key ("check_id") references "background_check" ("id");`,
    );
    this.addSql(
      `alter table "background_check_event" add constraint "background_check_event_from_status_check" check ("from_status" in ('not_started', 'invited', 'in_progress', 'clear', 'consider', 'adverse_action', 'waived', 'expired'));`,
    );
    this.addSql(
      `alter table "background_check_event" add constraint "background_check_event_to_status_check" check ("to_status" in ('not_started', 'invited', 'in_progress', 'clear', 'consider', 'adverse_action', 'waived', 'expired'));`,
    );
    this.addSql(
      `alter table "background_check_event" add constraint "background_check_event_source_check" check ("source" in ('hr', 'provider'));`,
    );
    this.addSql(
      `create or replace function "background_check_event_background_check_event_append_only_fn"() returns trigger as \$\$ begin raise exception 'table % is append-only: % is not allowed', tg_table_name, tg_op using errcode = 'restrict_violation'; end; \$\$ language plpgsql;`,
    );
    this.addSql(
      `create trigger "background_check_event_append_only" BEFORE UPDATE OR DELETE on "background_check_event" for each ROW execute function "background_check_event_background_check_event_append_only_fn"();`,
    );

    // Written by hand: the schema introspection does not see TRUNCATE triggers.
    this.addSql(
      `create or replace function "background_check_event_no_truncate_fn"() returns trigger as \$\$ begin raise exception 'table % is append-only: % is not allowed', tg_table_name, tg_op using errcode = 'restrict_violation'; end; \$\$ language plpgsql;`,
    );
    this.addSql(
      `create trigger "background_check_event_no_truncate" before truncate on "background_check_event" for each statement execute function "background_check_event_no_truncate_fn"();`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(
      `drop trigger if exists "background_check_event_no_truncate" on "background_check_event";`,
    );
    this.addSql(`drop function if exists "background_check_event_no_truncate_fn"();`);
    this.addSql(
      `alter table "background_check_event" drop constraint "background_check_event_check_id_foreign";`,
    );

    this.addSql(`drop table if exists "api_token" cascade;`);
    this.addSql(`drop table if exists "background_check" cascade;`);
    this.addSql(
      `drop trigger if exists "background_check_event_append_only" on "background_check_event";`,
    );
    this.addSql(
      `drop function if exists "background_check_event_background_check_event_append_only_fn"();`,
    );
    this.addSql(`drop table if exists "background_check_event" cascade;`);
  }
}
