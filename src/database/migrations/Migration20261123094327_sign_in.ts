import { Migration } from '@mikro-orm/migrations';

export class Migration20261123094327_sign_in extends Migration {
  override name = 'Migration20261123094327_sign_in';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "person" ("id" uuid not null, "email" varchar(320) not null, "full_name" varchar(200) not null, "employee_number" varchar(64) null, "saml_name_id" varchar(512) null, "department" varchar(200) null, "job_title" varchar(200) null, "manager_email" varchar(320) null, "employment_type" text not null default 'employee', "country" varchar(2) null, "region" varchar(100) null, "start_date" date null, "end_date" date null, "status" text not null default 'active', "roles" text[] not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`alter table "person" add constraint "person_email_unique" unique ("email");`);
    this.addSql(
      `alter table "person" add constraint "person_employee_number_unique" unique ("employee_number");`,
    );
    this.addSql(`create index "person_department_index" on "person" ("department");`);
    this.addSql(`create index "person_country_index" on "person" ("country");`);
    this.addSql(`create index "person_start_date_index" on "person" ("start_date");`);
    this.addSql(`create index "person_status_index" on "person" ("status");`);

    this.addSql(
      `create table "saml_assertion_use" ("assertion_id" varchar(256) not null, "expires_at" timestamptz not null, "used_at" timestamptz not null, primary key ("assertion_id"));`,
    );
    this.addSql(
      `create index "saml_assertion_use_expires_at_index" on "saml_assertion_use" ("expires_at");`,
    );

    this.addSql(
      `create table "saml_request" ("id" varchar(128) not null, "browser_binding_hash" varchar(64) not null, "return_to" varchar(2048) not null, "created_at" timestamptz not null, "expires_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`create index "saml_request_expires_at_index" on "saml_request" ("expires_at");`);

    this.addSql(
      `create table "session" ("id" uuid not null, "token_hash" varchar(64) not null, "person_id" uuid not null, "created_at" timestamptz not null, "last_seen_at" timestamptz not null, "expires_at" timestamptz not null, "totp_verified_at" timestamptz null, "idp_entity_id" varchar(512) not null, "name_id" varchar(512) not null, "name_id_format" varchar(256) null, "session_index" varchar(256) null, "authn_instant" timestamptz null, "authn_context_class_ref" varchar(256) null, "mfa" boolean null, "ip" varchar(64) null, "user_agent" varchar(512) null, "ended_at" timestamptz null, "ended_reason" varchar(40) null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "session" add constraint "session_token_hash_unique" unique ("token_hash");`,
    );
    this.addSql(`create index "session_person_id_index" on "session" ("person_id");`);
    this.addSql(`create index "session_ended_at_index" on "session" ("ended_at");`);

    this.addSql(
      `create table "totp_credential" ("id" uuid not null, "person_id" uuid not null, "secret_ciphertext" text not null, "confirmed_at" timestamptz null, "last_used_step" bigint null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "totp_credential" add constraint "totp_credential_person_id_unique" unique ("person_id");`,
    );

    this.addSql(
      `create table "totp_recovery_code" ("id" uuid not null, "person_id" uuid not null, "code_hash" varchar(64) not null, "used_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `create index "totp_recovery_code_person_id_index" on "totp_recovery_code" ("person_id");`,
    );

    this.addSql(
      `alter table "person" add constraint "person_employment_type_check" check ("employment_type" in ('employee', 'contractor'));`,
    );
    this.addSql(
      `alter table "person" add constraint "person_status_check" check ("status" in ('pre_start', 'active', 'on_leave', 'terminated'));`,
    );

    this.addSql(
      `alter table "session" add constraint "session_person_id_foreign" foreign key ("person_id") references "person" ("id");`,
    );

    this.addSql(
      `alter table "totp_credential" add constraint "totp_credential_person_id_foreign" foreign key ("person_id") references "person" ("id");`,
    );

    this.addSql(
      `alter table "totp_recovery_code" add constraint "totp_recovery_code_person_id_foreign" foreign key ("person_id") references "person" ("id");`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "session" drop constraint "session_person_id_foreign";`);
    this.addSql(
      `alter table "totp_credential" drop constraint "totp_credential_person_id_foreign";`,
    );
    this.addSql(
      `alter table "totp_recovery_code" drop constraint "totp_recovery_code_person_id_foreign";`,
    );

    this.addSql(`drop table if exists "person" cascade;`);
    this.addSql(`drop table if exists "saml_assertion_use" cascade;`);
    this.addSql(`drop table if exists "saml_request" cascade;`);
    this.addSql(`drop table if exists "session" cascade;`);
    this.addSql(`drop table if exists "totp_credential" cascade;`);
    this.addSql(`drop table if exists "totp_recovery_code" cascade;`);
  }
}
