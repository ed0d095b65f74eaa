import { Migration } from '@mikro-orm/migrations';

/** Written by hand (other entities were changing at the same time). Auditor export jobs. */
export class Migration20261123133000_exports extends Migration {
  override name = 'Migration20261123133000_exports';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "export_job" ("id" uuid not null, "status" text not null, "delivery" text not null, "filters" jsonb not null, "total" int not null, "done_count" int not null, "sha256" varchar(64) null, "size" bigint null, "error" varchar(300) null, "requested_by" varchar(150) not null, "created_at" timestamptz not null, "started_at" timestamptz null, "finished_at" timestamptz null, primary key ("id"));`,
    );
    this.addSql(`create index "export_job_created_at_index" on "export_job" ("created_at");`);
    this.addSql(
      `alter table "export_job" add constraint "export_job_status_check" check ("status" in ('queued', 'running', 'done', 'failed'));`,
    );
    this.addSql(
      `alter table "export_job" add constraint "export_job_delivery_check" check ("delivery" in ('streamed', 'stored'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "export_job" cascade;`);
  }
}
