import { Migration } from '@mikro-orm/migrations';

export class Migration20261123104245_onboarding_summary extends Migration {
  override name = 'Migration20261123104245_onboarding_summary';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "onboarding_summary" ("person_id" uuid not null, "total" int not null, "done" int not null, "open_due_dates" date[] not null, primary key ("person_id"));`,
    );

    this.addSql(
      `alter table "onboarding_summary" add constraint "onboarding_summary_person_id_foreign" foreign key ("person_id") references "person" ("id") on update cascade on delete cascade;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "onboarding_summary" cascade;`);
  }
}
