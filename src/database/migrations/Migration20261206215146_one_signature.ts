import { Migration } from '@mikro-orm/migrations';

export class Migration20261206215146_one_signature extends Migration {
  override name = 'Migration20261206215146_one_signature';

  override up(): void | Promise<void> {
    this.addSql(
      `create unique index "signature_person_document_version_unique" on "signature" ("person_id", "document_version_id") where kind = 'document';`,
    );
    this.addSql(
      `create unique index "signature_quiz_attempt_unique" on "signature" ("quiz_attempt_id") where quiz_attempt_id is not null;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "signature_person_document_version_unique";`);
    this.addSql(`drop index "signature_quiz_attempt_unique";`);
  }
}
