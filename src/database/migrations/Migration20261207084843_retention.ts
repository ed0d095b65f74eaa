import { Migration } from '@mikro-orm/migrations';

export class Migration20261207084843_retention extends Migration {
  override name = 'Migration20261207084843_retention';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "legal_hold" ("id" uuid not null, "person_id" uuid not null, "reason" varchar(1000) not null, "placed_by" uuid not null, "placed_at" timestamptz not null, "lifted_at" timestamptz null, "lifted_by" uuid null, "lift_reason" varchar(1000) null, primary key ("id"));`,
    );
    this.addSql(`create index "legal_hold_person_id_index" on "legal_hold" ("person_id");`);
    this.addSql(
      `create unique index "legal_hold_active_person_unique" on "legal_hold" ("person_id") where "lifted_at" is null;`,
    );

    this.addSql(`drop trigger if exists "audit_event_append_only" on "audit_event";`);
    this.addSql(`drop function if exists "audit_event_audit_event_append_only_fn"();`);
    this.addSql(`alter table "audit_event" add "purged_at" timestamptz null;`);
    this.addSql(
      `create or replace function "audit_event_audit_event_append_only_fn"() returns trigger as \$\$ begin if tg_op = 'UPDATE' and current_setting('attest.retention_purge', true) = 'on' and old.purged_at is null and new.purged_at is not null and old.subject_type = 'person' and old.action not like 'retention.%' and new.details = '{}'::jsonb and new.ip is null and new.user_agent is null and (new.seq, new.occurred_at, new.actor_id, new.action, new.subject_type, new.subject_id, new.request_id, new.prev_hash, new.hash) is not distinct from (old.seq, old.occurred_at, old.actor_id, old.action, old.subject_type, old.subject_id, old.request_id, old.prev_hash, old.hash) then return new; end if; raise exception 'table % is append-only: % is not allowed', tg_table_name, tg_op using errcode = 'restrict_violation'; end; \$\$ language plpgsql;`,
    );
    this.addSql(
      `create trigger "audit_event_append_only" BEFORE UPDATE OR DELETE on "audit_event" for each ROW execute function "audit_event_audit_event_append_only_fn"();`,
    );

    this.addSql(`alter table "export_job" drop constraint "export_job_status_check";`);
    this.addSql(
      `alter table "export_job" add constraint "export_job_status_check" check ("status" in ('queued', 'running', 'done', 'failed', 'expired'));`,
    );

    this.addSql(`alter table "notification" add "body_purged_at" timestamptz null;`);

    this.addSql(`alter table "background_check" add "details_purged_at" timestamptz null;`);

    this.addSql(
      `drop trigger if exists "background_check_event_append_only" on "background_check_event";`,
    );
    this.addSql(
      `drop function if exists "background_check_event_background_check_event_append_only_fn"();`,
    );
    this.addSql(
      `create or replace function "background_check_event_background_check_event_append_only_fn"() returns trigger as \$\$ begin if tg_op = 'DELETE' and current_setting('attest.retention_purge', true) = 'on' then return old; end if; raise exception 'table % is append-only: % is not allowed', tg_table_name, tg_op using errcode = 'restrict_violation'; end; \$\$ language plpgsql;`,
    );
    this.addSql(
      `create trigger "background_check_event_append_only" BEFORE UPDATE OR DELETE on "background_check_event" for each ROW execute function "background_check_event_background_check_event_append_only_fn"();`,
    );

    this.addSql(`drop trigger if exists "quiz_attempt_append_only" on "quiz_attempt";`);
    this.addSql(`drop function if exists "quiz_attempt_quiz_attempt_append_only_fn"();`);
    this.addSql(
      `create or replace function "quiz_attempt_quiz_attempt_append_only_fn"() returns trigger as \$\$ begin if tg_op = 'DELETE' and current_setting('attest.retention_purge', true) = 'on' then return old; end if; raise exception 'table % is append-only: % is not allowed', tg_table_name, tg_op using errcode = 'restrict_violation'; end; \$\$ language plpgsql;`,
    );
    this.addSql(
      `create trigger "quiz_attempt_append_only" BEFORE UPDATE OR DELETE on "quiz_attempt" for each ROW execute function "quiz_attempt_quiz_attempt_append_only_fn"();`,
    );

    this.addSql(
      `drop trigger if exists "requirement_completion_append_only" on "requirement_completion";`,
    );
    this.addSql(
      `drop function if exists "requirement_completion_requirement_completion_append_only_fn"();`,
    );
    this.addSql(
      `create or replace function "requirement_completion_requirement_completion_append_only_fn"() returns trigger as \$\$ begin if tg_op = 'DELETE' and current_setting('attest.retention_purge', true) = 'on' then return old; end if; raise exception 'table % is append-only: % is not allowed', tg_table_name, tg_op using errcode = 'restrict_violation'; end; \$\$ language plpgsql;`,
    );
    this.addSql(
      `create trigger "requirement_completion_append_only" BEFORE UPDATE OR DELETE on "requirement_completion" for each ROW execute function "requirement_completion_requirement_completion_append_only_fn"();`,
    );

    this.addSql(`drop trigger if exists "signature_append_only" on "signature";`);
    this.addSql(`drop function if exists "signature_signature_append_only_fn"();`);
    this.addSql(
      `create or replace function "signature_signature_append_only_fn"() returns trigger as \$\$ begin if tg_op = 'DELETE' and current_setting('attest.retention_purge', true) = 'on' then return old; end if; raise exception 'table % is append-only: % is not allowed', tg_table_name, tg_op using errcode = 'restrict_violation'; end; \$\$ language plpgsql;`,
    );
    this.addSql(
      `create trigger "signature_append_only" BEFORE UPDATE OR DELETE on "signature" for each ROW execute function "signature_signature_append_only_fn"();`,
    );

    this.addSql(`drop trigger if exists "attestation_append_only" on "attestation";`);
    this.addSql(`drop function if exists "attestation_attestation_append_only_fn"();`);
    this.addSql(
      `create or replace function "attestation_attestation_append_only_fn"() returns trigger as \$\$ begin if tg_op = 'DELETE' and current_setting('attest.retention_purge', true) = 'on' then return old; end if; raise exception 'table % is append-only: % is not allowed', tg_table_name, tg_op using errcode = 'restrict_violation'; end; \$\$ language plpgsql;`,
    );
    this.addSql(
      `create trigger "attestation_append_only" BEFORE UPDATE OR DELETE on "attestation" for each ROW execute function "attestation_attestation_append_only_fn"();`,
    );

    this.addSql(
      `alter table "legal_hold" add constraint "legal_hold_person_id_foreign" foreign key ("person_id") references "person" ("id");`,
    );
    this.addSql(
      `alter table "legal_hold" add constraint "legal_hold_reason_check" check (length(btrim(reason)) > 0);`,
    );
    this.addSql(
      `alter table "legal_hold" add constraint "legal_hold_lift_reason_check" check (lifted_at is null or length(btrim(lift_reason)) > 0);`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "legal_hold" cascade;`);

    this.addSql(`drop trigger if exists "attestation_append_only" on "attestation";`);
    this.addSql(`drop function if exists "attestation_attestation_append_only_fn"();`);
    this.addSql(
      `create or replace function "attestation_attestation_append_only_fn"() returns trigger as \$\$ begin raise exception 'table % is append-only: % is not allowed', tg_table_name, tg_op using errcode = 'restrict_violation'; end; \$\$ language plpgsql;`,
    );
    this.addSql(
      `create trigger "attestation_append_only" BEFORE UPDATE OR DELETE on "attestation" for each ROW execute function "attestation_attestation_append_only_fn"();`,
    );

    this.addSql(`drop trigger if exists "audit_event_append_only" on "audit_event";`);
    this.addSql(`drop function if exists "audit_event_audit_event_append_only_fn"();`);
    this.addSql(`alter table "audit_event" drop column "purged_at";`);
    this.addSql(
      `create or replace function "audit_event_audit_event_append_only_fn"() returns trigger as \$\$ begin raise exception 'table % is append-only: % is not allowed', tg_table_name, tg_op using errcode = 'restrict_violation'; end; \$\$ language plpgsql;`,
    );
    this.addSql(
      `create trigger "audit_event_append_only" BEFORE UPDATE OR DELETE on "audit_event" for each ROW execute function "audit_event_audit_event_append_only_fn"();`,
    );

    this.addSql(`alter table "background_check" drop column "details_purged_at";`);

    this.addSql(
      `drop trigger if exists "background_check_event_append_only" on "background_check_event";`,
    );
    this.addSql(
      `drop function if exists "background_check_event_background_check_event_append_only_fn"();`,
    );
    this.addSql(
      `create or replace function "background_check_event_background_check_event_append_only_fn"() returns trigger as \$\$ begin raise exception 'table % is append-only: % is not allowed', tg_table_name, tg_op using errcode = 'restrict_violation'; end; \$\$ language plpgsql;`,
    );
    this.addSql(
      `create trigger "background_check_event_append_only" BEFORE UPDATE OR DELETE on "background_check_event" for each ROW execute function "background_check_event_background_check_event_append_only_fn"();`,
    );

    this.addSql(`alter table "export_job" drop constraint "export_job_status_check";`);
    this.addSql(
      `alter table "export_job" add constraint "export_job_status_check" check ("status" in ('queued', 'running', 'done', 'failed'));`,
    );

    this.addSql(`alter table "notification" drop column "body_purged_at";`);

    this.addSql(`drop trigger if exists "quiz_attempt_append_only" on "quiz_attempt";`);
    this.addSql(`drop function if exists "quiz_attempt_quiz_attempt_append_only_fn"();`);
    this.addSql(
      `create or replace function "quiz_attempt_quiz_attempt_append_only_fn"() returns trigger as \$\$ begin raise exception 'table % is append-only: % is not allowed', tg_table_name, tg_op using errcode = 'restrict_violation'; end; \$\$ language plpgsql;`,
    );
    this.addSql(
      `create trigger "quiz_attempt_append_only" BEFORE UPDATE OR DELETE on "quiz_attempt" for each ROW execute function "quiz_attempt_quiz_attempt_append_only_fn"();`,
    );

    this.addSql(
      `drop trigger if exists "requirement_completion_append_only" on "requirement_completion";`,
    );
    this.addSql(
      `drop function if exists "requirement_completion_requirement_completion_append_only_fn"();`,
    );
    this.addSql(
      `create or replace function "requirement_completion_requirement_completion_append_only_fn"() returns trigger as \$\$ begin raise exception 'table % is append-only: % is not allowed', tg_table_name, tg_op using errcode = 'restrict_violation'; end; \$\$ language plpgsql;`,
    );
    this.addSql(
      `create trigger "requirement_completion_append_only" BEFORE UPDATE OR DELETE on "requirement_completion" for each ROW execute function "requirement_completion_requirement_completion_append_only_fn"();`,
    );

    this.addSql(`drop trigger if exists "signature_append_only" on "signature";`);
    this.addSql(`drop function if exists "signature_signature_append_only_fn"();`);
    this.addSql(
      `create or replace function "signature_signature_append_only_fn"() returns trigger as \$\$ begin raise exception 'table % is append-only: % is not allowed', tg_table_name, tg_op using errcode = 'restrict_violation'; end; \$\$ language plpgsql;`,
    );
    this.addSql(
      `create trigger "signature_append_only" BEFORE UPDATE OR DELETE on "signature" for each ROW execute function "signature_signature_append_only_fn"();`,
    );
  }
}
