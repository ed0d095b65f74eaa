import { MikroORM } from '@mikro-orm/postgresql';
import { createOrmOptions } from '../../src/database/mikro-orm.config';
import { migrate, pendingMigrations } from '../../src/database/migration.runner';
import { MIGRATIONS } from '../../src/database/migrations';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';

describe('database migrations', () => {
  let db: TestDatabase;
  let orm: MikroORM;

  beforeAll(async () => {
    db = await createTestDatabase();
    orm = await MikroORM.init(createOrmOptions(db.clientUrl, { embedded: db.embedded }));
  });

  afterAll(async () => {
    await orm?.close(true);
    await db?.close();
  });

  it('applies every committed migration to an empty database, once', async () => {
    expect(await pendingMigrations(orm)).toEqual(MIGRATIONS.map((m) => m.name));
    expect(await migrate(orm)).toEqual(MIGRATIONS.map((m) => m.name));
    expect(await pendingMigrations(orm)).toEqual([]);
    expect(await migrate(orm)).toEqual([]);
  });

  it('leaves the schema exactly as the entities describe it', async () => {
    const diff = await orm.schema.getUpdateSchemaSQL({ wrap: false });
    expect(diff.trim()).toBe('');
  });
});
