import { Migration } from '@mikro-orm/migrations';

export class Migration20261123104814_completion_date_index extends Migration {
  override name = 'Migration20261123104814_completion_date_index';

  override up(): void | Promise<void> {
    this.addSql(
      `create index "requirement_completion_completed_at_index" on "requirement_completion" ("completed_at");`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "requirement_completion_completed_at_index";`);
  }
}
