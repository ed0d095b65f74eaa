import { Migration } from '@mikro-orm/migrations';

export class Migration20261123105618_summary_person_fields extends Migration {
  override name = 'Migration20261123105618_summary_person_fields';

  override up(): void | Promise<void> {
    this.addSql(
      `alter table "onboarding_summary" add "department" varchar(200) null, add "country" varchar(2) null, add "start_month" varchar(7) null, add "terminated" boolean not null default false;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(
      `alter table "onboarding_summary" drop column "department", drop column "country", drop column "start_month", drop column "terminated";`,
    );
  }
}
