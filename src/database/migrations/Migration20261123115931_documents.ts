import { Migration } from '@mikro-orm/migrations';

export class Migration20261123115931_documents extends Migration {
  override name = 'Migration20261123115931_documents';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "document_version" ("id" uuid not null, "document_id" varchar(100) not null, "version" varchar(32) not null, "version_key" varchar(32) not null, "title" varchar(200) not null, "kind" text not null, "effective" date not null, "change" text not null, "changes" text not null, "resign_on_minor" boolean not null, "body" text not null, "source" text not null, "sha256" varchar(64) not null, "quiz" jsonb null, "source_path" varchar(300) not null, "published_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `create index "document_version_document_id_index" on "document_version" ("document_id");`,
    );
    this.addSql(
      `alter table "document_version" add constraint "document_version_document_id_version_unique" unique ("document_id", "version");`,
    );

    this.addSql(
      `create table "esign_consent" ("id" uuid not null, "person_id" uuid not null, "disclosure_id" uuid not null, "disclosure_version" varchar(32) not null, "disclosure_sha256" varchar(64) not null, "consented_at" timestamptz not null, "session_id" uuid not null, "ip" varchar(64) null, "user_agent" varchar(512) null, primary key ("id"));`,
    );
    this.addSql(`create index "esign_consent_person_id_index" on "esign_consent" ("person_id");`);
    this.addSql(
      `alter table "esign_consent" add constraint "esign_consent_person_disclosure_unique" unique ("person_id", "disclosure_id");`,
    );

    this.addSql(
      `create table "document_view" ("id" uuid not null, "person_id" uuid not null, "document_version_id" uuid not null, "viewed_at" timestamptz not null, "session_id" uuid not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "document_view" add constraint "document_view_person_version_unique" unique ("person_id", "document_version_id");`,
    );

    this.addSql(
      `create table "quiz_attempt" ("id" uuid not null, "person_id" uuid not null, "document_version_id" uuid not null, "answers" jsonb not null, "correct" int not null, "total" int not null, "score" int not null, "pass_mark" int not null, "passed" boolean not null, "attempted_at" timestamptz not null, "submission_id" uuid not null, "session_id" uuid not null, primary key ("id"));`,
    );
    this.addSql(`create index "quiz_attempt_person_id_index" on "quiz_attempt" ("person_id");`);
    this.addSql(
      `alter table "quiz_attempt" add constraint "quiz_attempt_person_submission_unique" unique ("person_id", "submission_id");`,
    );

    this.addSql(
      `create table "signature" ("id" uuid not null, "kind" text not null, "person_id" uuid not null, "document_version_id" uuid not null, "document_id" varchar(100) not null, "version" varchar(32) not null, "document_sha256" varchar(64) not null, "disclosure_version" varchar(32) not null, "disclosure_sha256" varchar(64) not null, "consented_at" timestamptz not null, "intent_version" varchar(16) not null, "intent_text" varchar(500) not null, "intent_sha256" varchar(64) not null, "typed_name" varchar(200) not null, "ip" varchar(64) null, "user_agent" varchar(512) null, "session_id" uuid not null, "idp_entity_id" varchar(512) not null, "name_id" varchar(512) not null, "authn_instant" timestamptz null, "mfa" boolean null, "viewed_at" timestamptz not null, "signed_at" timestamptz not null, "submission_id" uuid not null, "quiz_attempt_id" uuid null, primary key ("id"));`,
    );
    this.addSql(`create index "signature_person_id_index" on "signature" ("person_id");`);
    this.addSql(
      `create index "signature_document_id_index" on "signature" ("document_id", "signed_at");`,
    );
    this.addSql(
      `alter table "signature" add constraint "signature_person_submission_unique" unique ("person_id", "submission_id");`,
    );

    this.addSql(
      `alter table "document_version" add constraint "document_version_kind_check" check ("kind" in ('policy', 'nda', 'confidentiality', 'acceptable-use', 'training', 'disclosure'));`,
    );
    this.addSql(
      `alter table "document_version" add constraint "document_version_change_check" check ("change" in ('material', 'minor'));`,
    );
    this.addSql(
      `create or replace function "document_version_document_version_append_only_fn"() returns trigger as \$\$ begin raise exception 'table % is append-only: % is not allowed', tg_table_name, tg_op using errcode = 'restrict_violation'; end; \$\$ language plpgsql;`,
    );
    this.addSql(
      `create trigger "document_version_append_only" BEFORE UPDATE OR DELETE on "document_version" for each ROW execute function "document_version_document_version_append_only_fn"();`,
    );

    this.addSql(
      `alter table "esign_consent" add constraint "esign_consent_person_id_foreign" foreign key ("person_id") references "person" ("id");`,
    );
    this.addSql(
      `alter table "esign_consent" add constraint "esign_consent_disclosure_id_foreign" foreign key ("disclosure_id") references "document_version" ("id");`,
    );
    this.addSql(
      `create or replace function "esign_consent_esign_consent_append_only_fn"() returns trigger as \$\$ begin raise exception 'table % is append-only: % is not allowed', tg_table_name, tg_op using errcode = 'restrict_violation'; end; \$\$ language plpgsql;`,
    );
    this.addSql(
      `create trigger "esign_consent_append_only" BEFORE UPDATE OR DELETE on "esign_consent" for each ROW execute function "esign_consent_esign_consent_append_only_fn"();`,
    );

    this.addSql(
      `alter table "document_view" add constraint "document_view_person_id_foreign" foreign key ("person_id") references "person" ("id");`,
    );
    this.addSql(
      `alter table "document_view" add constraint "document_view_document_version_id_foreign" foreign key ("document_version_id") references "document_version" ("id");`,
    );
    this.addSql(
      `create or replace function "document_view_document_view_append_only_fn"() returns trigger as \$\$ begin raise exception 'table % is append-only: % is not allowed', tg_table_name, tg_op using errcode = 'restrict_violation'; end; \$\$ language plpgsql;`,
    );
    this.addSql(
      `create trigger "document_view_append_only" BEFORE UPDATE OR DELETE on "document_view" for each ROW execute function "document_view_document_view_append_only_fn"();`,
    );

    this.addSql(
      `alter table "quiz_attempt" add constraint "quiz_attempt_person_id_foreign" foreign key ("person_id") references "person" ("id");`,
    );
    this.addSql(
      `alter table "quiz_attempt" add constraint "quiz_attempt_document_version_id_foreign" foreign key ("document_version_id") references "document_version" ("id");`,
    );
    this.addSql(
      `create or replace function "quiz_attempt_quiz_attempt_append_only_fn"() returns trigger as \$\$ begin raise exception 'table % is append-only: % is not allowed', tg_table_name, tg_op using errcode = 'restrict_violation'; end; \$\$ language plpgsql;`,
    );
    this.addSql(
      `create trigger "quiz_attempt_append_only" BEFORE UPDATE OR DELETE on "quiz_attempt" for each ROW execute function "quiz_attempt_quiz_attempt_append_only_fn"();`,
    );

    this.addSql(
      `alter table "signature" add constraint "signature_person_id_foreign" foreign key ("person_id") references "person" ("id");`,
    );
    this.addSql(
      `alter table "signature" add constraint "signature_document_version_id_foreign" foreign key ("document_version_id") references "document_version" ("id");`,
    );
    this.addSql(
      `alter table "signature" add constraint "signature_kind_check" check ("kind" in ('document', 'training'));`,
    );
    this.addSql(
      `create or replace function "signature_signature_append_only_fn"() returns trigger as \$\$ begin raise exception 'table % is append-only: % is not allowed', tg_table_name, tg_op using errcode = 'restrict_violation'; end; \$\$ language plpgsql;`,
    );
    this.addSql(
      `create trigger "signature_append_only" BEFORE UPDATE OR DELETE on "signature" for each ROW execute function "signature_signature_append_only_fn"();`,
    );

    // Written by hand: the schema introspection does not see TRUNCATE triggers.
    this.addSql(
      `create or replace function "document_evidence_no_truncate_fn"() returns trigger as \$\$ begin raise exception 'table % is append-only: % is not allowed', tg_table_name, tg_op using errcode = 'restrict_violation'; end; \$\$ language plpgsql;`,
    );
    this.addSql(
      `create trigger "document_version_no_truncate" before truncate on "document_version" for each statement execute function "document_evidence_no_truncate_fn"();`,
    );
    this.addSql(
      `create trigger "esign_consent_no_truncate" before truncate on "esign_consent" for each statement execute function "document_evidence_no_truncate_fn"();`,
    );
    this.addSql(
      `create trigger "document_view_no_truncate" before truncate on "document_view" for each statement execute function "document_evidence_no_truncate_fn"();`,
    );
    this.addSql(
      `create trigger "quiz_attempt_no_truncate" before truncate on "quiz_attempt" for each statement execute function "document_evidence_no_truncate_fn"();`,
    );
    this.addSql(
      `create trigger "signature_no_truncate" before truncate on "signature" for each statement execute function "document_evidence_no_truncate_fn"();`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists "document_version_no_truncate" on "document_version";`);
    this.addSql(`drop trigger if exists "esign_consent_no_truncate" on "esign_consent";`);
    this.addSql(`drop trigger if exists "document_view_no_truncate" on "document_view";`);
    this.addSql(`drop trigger if exists "quiz_attempt_no_truncate" on "quiz_attempt";`);
    this.addSql(`drop trigger if exists "signature_no_truncate" on "signature";`);
    this.addSql(`drop function if exists "document_evidence_no_truncate_fn"();`);
    this.addSql(
      `alter table "esign_consent" drop constraint "esign_consent_disclosure_id_foreign";`,
    );
    this.addSql(
      `alter table "document_view" drop constraint "document_view_document_version_id_foreign";`,
    );
    this.addSql(
      `alter table "quiz_attempt" drop constraint "quiz_attempt_document_version_id_foreign";`,
    );
    this.addSql(`alter table "signature" drop constraint "signature_document_version_id_foreign";`);

    this.addSql(`drop trigger if exists "document_version_append_only" on "document_version";`);
    this.addSql(`drop function if exists "document_version_document_version_append_only_fn"();`);
    this.addSql(`drop table if exists "document_version" cascade;`);
    this.addSql(`drop trigger if exists "esign_consent_append_only" on "esign_consent";`);
    this.addSql(`drop function if exists "esign_consent_esign_consent_append_only_fn"();`);
    this.addSql(`drop table if exists "esign_consent" cascade;`);
    this.addSql(`drop trigger if exists "document_view_append_only" on "document_view";`);
    this.addSql(`drop function if exists "document_view_document_view_append_only_fn"();`);
    this.addSql(`drop table if exists "document_view" cascade;`);
    this.addSql(`drop trigger if exists "quiz_attempt_append_only" on "quiz_attempt";`);
    this.addSql(`drop function if exists "quiz_attempt_quiz_attempt_append_only_fn"();`);
    this.addSql(`drop table if exists "quiz_attempt" cascade;`);
    this.addSql(`drop trigger if exists "signature_append_only" on "signature";`);
    this.addSql(`drop function if exists "signature_signature_append_only_fn"();`);
    this.addSql(`drop table if exists "signature" cascade;`);
  }
}
