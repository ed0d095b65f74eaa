import { Migration } from '@mikro-orm/migrations';

export class Migration20261123091219_initial extends Migration {
  override name = 'Migration20261123091219_initial';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "audit_event" ("seq" bigserial primary key, "occurred_at" timestamptz not null, "actor_id" varchar(64) null, "action" varchar(100) not null, "subject_type" varchar(64) null, "subject_id" varchar(64) null, "details" jsonb not null, "request_id" varchar(64) null, "prev_hash" varchar(64) not null, "hash" varchar(64) not null);`,
    );
    this.addSql(`create index "audit_event_occurred_at_index" on "audit_event" ("occurred_at");`);
    this.addSql(`create index "audit_event_action_index" on "audit_event" ("action");`);
    this.addSql(
      `alter table "audit_event" add constraint "audit_event_hash_unique" unique ("hash");`,
    );

    this.addSql(
      `create or replace function "audit_event_audit_event_append_only_fn"() returns trigger as \$\$ begin raise exception 'table % is append-only: % is not allowed', tg_table_name, tg_op using errcode = 'restrict_violation'; end; \$\$ language plpgsql;`,
    );
    this.addSql(
      `create trigger "audit_event_append_only" BEFORE UPDATE OR DELETE on "audit_event" for each ROW execute function "audit_event_audit_event_append_only_fn"();`,
    );

    // Written by hand: the schema introspection does not see TRUNCATE triggers, so this one is
    // kept out of the entity (and the snapshot) and only ever created here.
    this.addSql(
      `create or replace function "audit_event_no_truncate_fn"() returns trigger as \$\$ begin raise exception 'table % is append-only: % is not allowed', tg_table_name, tg_op using errcode = 'restrict_violation'; end; \$\$ language plpgsql;`,
    );
    this.addSql(
      `create trigger "audit_event_no_truncate" before truncate on "audit_event" for each statement execute function "audit_event_no_truncate_fn"();`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists "audit_event_no_truncate" on "audit_event";`);
    this.addSql(`drop function if exists "audit_event_no_truncate_fn"();`);
    this.addSql(`drop trigger if exists "audit_event_append_only" on "audit_event";`);
    this.addSql(`drop function if exists "audit_event_audit_event_append_only_fn"();`);
    this.addSql(`drop table if exists "audit_event" cascade;`);
  }
}
