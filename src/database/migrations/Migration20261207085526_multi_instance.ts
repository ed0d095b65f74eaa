import { Migration } from '@mikro-orm/migrations';

export class Migration20261207085526_multi_instance extends Migration {
  override name = 'Migration20261207085526_multi_instance';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "export_file_chunk" ("export_job_id" uuid not null, "seq" int not null, "bytes" bytea not null, primary key ("export_job_id", "seq"));`,
    );

    this.addSql(
      `create table "rate_limit_counter" ("key" varchar(128) not null, "throttler" varchar(40) not null, "hits" int not null, "window_ends_at" timestamptz not null, "blocked_until" timestamptz null, primary key ("key", "throttler"));`,
    );
    this.addSql(
      `create index "rate_limit_counter_window_ends_at_index" on "rate_limit_counter" ("window_ends_at");`,
    );

    this.addSql(
      `alter table "export_file_chunk" add constraint "export_file_chunk_export_job_id_foreign" foreign key ("export_job_id") references "export_job" ("id") on delete cascade;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "export_file_chunk" cascade;`);
    this.addSql(`drop table if exists "rate_limit_counter" cascade;`);
  }
}
