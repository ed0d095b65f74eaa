import { Migration } from '@mikro-orm/migrations';

export class Migration20261123103627_overdue_index extends Migration {
  override name = 'Migration20261123103627_overdue_index';

  override up(): void | Promise<void> {
    this.addSql(
      `create index "requirement_assignment_open_due_index" on "requirement_assignment" ("due_date", "id") where "status" not in ('done', 'waived');`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "requirement_assignment_open_due_index";`);
  }
}
