import { Migration } from '@mikro-orm/migrations';

export class Migration20261123090510_initial extends Migration {

  override name = 'Migration20261123090510_initial';

  override up(): void | Promise<void> {
    this.addSql(`create table "audit_event" ("seq" bigserial primary key, "occurred_at" timestamptz not null, "actor_id" varchar(64) null, "action" varchar(100) not null, "subject_type" varchar(64) null, "subject_id" varchar(64) null, "details" jsonb not null, "request_id" varchar(64) null, "prev_hash" varchar(64) not null, "hash" varchar(64) not null);`);
    this.addSql(`create index "audit_event_occurred_at_index" on "audit_event" ("occurred_at");`);
    this.addSql(`create index "audit_event_action_index" on "audit_event" ("action");`);
    this.addSql(`alter table "audit_event" add constraint "audit_event_hash_unique" unique ("hash");`);

    // Append-only tables: the database itself refuses UPDATE, DELETE and TRUNCATE, so a bug or
    // a stray script cannot rewrite history. Later append-only tables reuse this function.
    this.addSql(`create or replace function attest_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'table % is append-only: % is not allowed', tg_table_name, tg_op
    using errcode = 'restrict_violation';
end $$;`);
    this.addSql(`create trigger audit_event_append_only before update or delete on "audit_event" for each row execute function attest_refuse_change();`);
    this.addSql(`create trigger audit_event_no_truncate before truncate on "audit_event" for each statement execute function attest_refuse_change();`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "audit_event" cascade;`);
    this.addSql(`drop function if exists attest_refuse_change();`);
  }

}
