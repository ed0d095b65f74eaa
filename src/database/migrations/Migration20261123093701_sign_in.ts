import { Migration } from '@mikro-orm/migrations';

export class Migration20261123093701_sign_in extends Migration {
  override name = 'Migration20261123093701_sign_in';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "person" ("id" uuid not null, "email" varchar(320) not null, "display_name" varchar(200) not null, "saml_name_id" varchar(512) null, "department" varchar(200) null, "country" varchar(2) null, "manager_email" varchar(320) null, "start_date" date null, "roles" text[] not null, "status" varchar(20) not null default 'active', "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`alter table "person" add constraint "person_email_unique" unique ("email");`);

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
