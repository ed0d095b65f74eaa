import { Migration } from '@mikro-orm/migrations';

export class Migration20261207065922_notifications extends Migration {
  override name = 'Migration20261207065922_notifications';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "notification" ("id" uuid not null, "idempotency_key" varchar(400) not null, "kind" text not null, "recipient_person_id" uuid null, "recipient_email" varchar(320) not null, "about_person_id" uuid null, "subject" varchar(300) not null, "text_body" text not null, "html_body" text not null, "status" text not null, "status_reason" varchar(1000) null, "attempts" int not null default 0, "next_attempt_at" timestamptz not null, "claimed_until" timestamptz null, "claim_token" uuid null, "message_id" varchar(300) not null, "item_count" int not null, "created_at" timestamptz not null, "sent_at" timestamptz null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "notification" add constraint "notification_idempotency_key_unique" unique ("idempotency_key");`,
    );
    this.addSql(
      `create index "notification_due_index" on "notification" ("next_attempt_at", "id") where "status" in ('queued', 'sending');`,
    );
    this.addSql(
      `create index "notification_created_at_index" on "notification" ("created_at", "id");`,
    );
    this.addSql(
      `create index "notification_about_person_index" on "notification" ("about_person_id", "created_at");`,
    );
    this.addSql(
      `create index "notification_recipient_person_index" on "notification" ("recipient_person_id", "created_at");`,
    );

    this.addSql(
      `create table "notification_step" ("person_id" uuid not null, "requirement_id" varchar(100) not null, "cycle" int not null, "track" text not null, "step" varchar(40) not null, "notification_id" uuid not null, "listed" boolean not null, "due_date" date not null, "recorded_at" timestamptz not null, primary key ("person_id", "requirement_id", "cycle", "track", "step"));`,
    );
    this.addSql(
      `create index "notification_step_notification_id_index" on "notification_step" ("notification_id");`,
    );

    this.addSql(
      `alter table "notification" add constraint "notification_kind_check" check ("kind" in ('tasks', 'manual_reminder', 'manager_escalation', 'hr_escalation', 'hr_digest', 'manager_digest'));`,
    );
    this.addSql(
      `alter table "notification" add constraint "notification_status_check" check ("status" in ('queued', 'sending', 'sent', 'failed', 'suppressed'));`,
    );

    this.addSql(
      `alter table "notification_step" add constraint "notification_step_notification_id_foreign" foreign key ("notification_id") references "notification" ("id");`,
    );
    this.addSql(
      `alter table "notification_step" add constraint "notification_step_track_check" check ("track" in ('notice', 'reminder', 'manager', 'hr', 'manual'));`,
    );
    this.addSql(
      `create or replace function "notification_step_notification_step_append_only_fn"() returns trigger as \$\$ begin raise exception 'table % is append-only: % is not allowed', tg_table_name, tg_op using errcode = 'restrict_violation'; end; \$\$ language plpgsql;`,
    );
    this.addSql(
      `create trigger "notification_step_append_only" BEFORE UPDATE OR DELETE on "notification_step" for each ROW execute function "notification_step_notification_step_append_only_fn"();`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(
      `alter table "notification_step" drop constraint "notification_step_notification_id_foreign";`,
    );

    this.addSql(`drop table if exists "notification" cascade;`);
    this.addSql(`drop trigger if exists "notification_step_append_only" on "notification_step";`);
    this.addSql(`drop function if exists "notification_step_notification_step_append_only_fn"();`);
    this.addSql(`drop table if exists "notification_step" cascade;`);
  }
}
