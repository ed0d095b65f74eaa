import { Migration } from '@mikro-orm/migrations';

export class Migration20261207113733_scim extends Migration {
  override name = 'Migration20261207113733_scim';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "scim_group" ("id" uuid not null, "display_name" varchar(255) not null, "external_id" varchar(255) null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "scim_group" add constraint "scim_group_display_name_unique" unique ("display_name");`,
    );
    this.addSql(
      `alter table "scim_group" add constraint "scim_group_external_id_unique" unique ("external_id");`,
    );

    this.addSql(
      `create table "scim_group_member" ("group_id" uuid not null, "person_id" uuid not null, primary key ("group_id", "person_id"));`,
    );
    this.addSql(
      `create index "scim_group_member_person_id_index" on "scim_group_member" ("person_id");`,
    );

    this.addSql(
      `create unique index "person_scim_user_name_lower_unique" on "person" (lower("scim_user_name")) where "scim_user_name" is not null;`,
    );

    this.addSql(
      `alter table "requirement_assignment" drop constraint "requirement_assignment_kind_check";`,
    );
    this.addSql(
      `alter table "requirement_assignment" drop constraint "requirement_assignment_status_check";`,
    );
    this.addSql(
      `alter table "requirement_assignment" add constraint "requirement_assignment_kind_check" check ("kind" in ('document', 'training', 'background_check', 'task'));`,
    );
    this.addSql(
      `alter table "requirement_assignment" add constraint "requirement_assignment_status_check" check ("status" in ('not_started', 'in_progress', 'done', 'overdue', 'waived', 'not_required'));`,
    );

    this.addSql(
      `alter table "requirement_completion" drop constraint "requirement_completion_kind_check";`,
    );
    this.addSql(
      `alter table "requirement_completion" add constraint "requirement_completion_kind_check" check ("kind" in ('document', 'training', 'background_check', 'task'));`,
    );

    this.addSql(
      `alter table "scim_group_member" add constraint "scim_group_member_group_id_foreign" foreign key ("group_id") references "scim_group" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "scim_group_member" add constraint "scim_group_member_person_id_foreign" foreign key ("person_id") references "person" ("id") on update cascade on delete cascade;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(
      `alter table "scim_group_member" drop constraint "scim_group_member_group_id_foreign";`,
    );

    this.addSql(`drop table if exists "scim_group" cascade;`);
    this.addSql(`drop table if exists "scim_group_member" cascade;`);

    this.addSql(`drop index "person_scim_user_name_lower_unique";`);

    this.addSql(
      `alter table "requirement_assignment" drop constraint "requirement_assignment_kind_check";`,
    );
    this.addSql(
      `alter table "requirement_assignment" drop constraint "requirement_assignment_status_check";`,
    );
    this.addSql(
      `alter table "requirement_assignment" add constraint "requirement_assignment_kind_check" check ("kind" in ('document', 'training', 'background_check'));`,
    );
    this.addSql(
      `alter table "requirement_assignment" add constraint "requirement_assignment_status_check" check ("status" in ('not_started', 'in_progress', 'done', 'overdue', 'waived'));`,
    );

    this.addSql(
      `alter table "requirement_completion" drop constraint "requirement_completion_kind_check";`,
    );
    this.addSql(
      `alter table "requirement_completion" add constraint "requirement_completion_kind_check" check ("kind" in ('document', 'training', 'background_check'));`,
    );
  }
}
