import { Migration } from '@mikro-orm/migrations';

export class Migration20261207124020_auth_method extends Migration {
  override name = 'Migration20261207124020_auth_method';

  override up(): void | Promise<void> {
    this.addSql(`alter table "session" add "auth_method" varchar(8) not null default 'saml';`);

    this.addSql(`alter table "signature" add "auth_method" varchar(8) not null default 'saml';`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "session" drop column "auth_method";`);

    this.addSql(`alter table "signature" drop column "auth_method";`);
  }
}
