import { Migration } from '@mikro-orm/migrations';

export class Migration20261207113332_identity_lifecycle extends Migration {
  override name = 'Migration20261207113332_identity_lifecycle';

  override up(): void | Promise<void> {
    this.addSql(`alter table "api_token" drop constraint "api_token_role_check";`);
    this.addSql(
      `alter table "api_token" add constraint "api_token_role_check" check ("role" in ('integration', 'auditor', 'scim'));`,
    );

    this.addSql(
      `alter table "person" add "scim_user_name" varchar(320) null, add "scim_external_id" varchar(255) null, add "deprovisioned_at" timestamptz null, add "access_ended_at" timestamptz null, add "field_sources" jsonb not null default '{}';`,
    );
    this.addSql(
      `alter table "person" add constraint "person_scim_user_name_unique" unique ("scim_user_name");`,
    );
    this.addSql(
      `alter table "person" add constraint "person_scim_external_id_unique" unique ("scim_external_id");`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "api_token" drop constraint "api_token_role_check";`);
    this.addSql(
      `alter table "api_token" add constraint "api_token_role_check" check ("role" in ('integration', 'auditor'));`,
    );

    this.addSql(`alter table "person" drop constraint "person_scim_user_name_unique";`);
    this.addSql(`alter table "person" drop constraint "person_scim_external_id_unique";`);
    this.addSql(
      `alter table "person" drop column "scim_user_name", drop column "scim_external_id", drop column "deprovisioned_at", drop column "access_ended_at", drop column "field_sources";`,
    );
  }
}
