import { Migration } from '@mikro-orm/migrations';

/**
 * Written by hand. Auditors' samples: append-only, like the other evidence tables, with the
 * TRUNCATE guard the schema introspection does not see.
 */
export class Migration20261123131000_audit_samples extends Migration {
  override name = 'Migration20261123131000_audit_samples';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "audit_sample" ("id" uuid not null, "requested_by_id" uuid not null, "population" text not null, "period_from" date not null, "period_to" date not null, "size" int not null, "seed" varchar(128) not null, "algorithm" varchar(64) not null, "population_size" int not null, "population_sha256" varchar(64) not null, "person_ids" uuid[] not null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`create index "audit_sample_created_at_index" on "audit_sample" ("created_at");`);
    this.addSql(
      `alter table "audit_sample" add constraint "audit_sample_requested_by_id_foreign" foreign key ("requested_by_id") references "person" ("id");`,
    );
    this.addSql(
      `alter table "audit_sample" add constraint "audit_sample_population_check" check ("population" in ('new-hires', 'terminations', 'active'));`,
    );
    this.addSql(
      `create or replace function "audit_sample_audit_sample_append_only_fn"() returns trigger as \$\$ begin raise exception 'table % is append-only: % is not allowed', tg_table_name, tg_op using errcode = 'restrict_violation'; end; \$\$ language plpgsql;`,
    );
    this.addSql(
      `create trigger "audit_sample_append_only" BEFORE UPDATE OR DELETE on "audit_sample" for each ROW execute function "audit_sample_audit_sample_append_only_fn"();`,
    );
    // Not in the entity: the schema introspection does not see TRUNCATE triggers.
    this.addSql(
      `create or replace function "audit_sample_no_truncate_fn"() returns trigger as \$\$ begin raise exception 'table % is append-only: % is not allowed', tg_table_name, tg_op using errcode = 'restrict_violation'; end; \$\$ language plpgsql;`,
    );
    this.addSql(
      `create trigger "audit_sample_no_truncate" before truncate on "audit_sample" for each statement execute function "audit_sample_no_truncate_fn"();`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists "audit_sample_no_truncate" on "audit_sample";`);
    this.addSql(`drop function if exists "audit_sample_no_truncate_fn"();`);
    this.addSql(`drop trigger if exists "audit_sample_append_only" on "audit_sample";`);
    this.addSql(`drop function if exists "audit_sample_audit_sample_append_only_fn"();`);
    this.addSql(`drop table if exists "audit_sample" cascade;`);
  }
}
