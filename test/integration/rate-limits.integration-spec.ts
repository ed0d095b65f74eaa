import { setTimeout as sleep } from 'node:timers/promises';
import { MikroORM } from '@mikro-orm/postgresql';
import { PgThrottlerStorage } from '../../src/auth/rate-limits/pg-throttler.storage';
import { createOrmOptions } from '../../src/database/mikro-orm.config';
import { migrate } from '../../src/database/migration.runner';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';

/** The rate limits' counters in PostgreSQL, shared by every instance. */
describe('PgThrottlerStorage (integration)', () => {
  let db: TestDatabase;
  let orm: MikroORM;

  beforeAll(async () => {
    db = await createTestDatabase();
    orm = await MikroORM.init(createOrmOptions(db.clientUrl, { embedded: db.embedded }));
    await migrate(orm);
  });

  afterAll(async () => {
    await orm?.close(true);
    await db?.close();
  });

  it('allows `limit` hits, blocks the next, counts nothing while blocked, then gives a fresh budget', async () => {
    const storage = new PgThrottlerStorage(orm.em);
    const hit = () => storage.increment('client:198.51.100.7', 60_000, 3, 1_000, 'default');
    for (const expected of [1, 2, 3]) {
      expect(await hit()).toMatchObject({ totalHits: expected, isBlocked: false });
    }
    const blocked = await hit();
    expect(blocked).toMatchObject({ totalHits: 4, isBlocked: true });
    expect(blocked.timeToBlockExpire).toBeGreaterThanOrEqual(1);
    // Retrying while blocked neither counts nor lengthens the block.
    expect(await hit()).toMatchObject({ totalHits: 4, isBlocked: true });
    await sleep(1_100);
    expect(await hit()).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('keeps budgets apart: another key, or another throttler on the same key', async () => {
    const storage = new PgThrottlerStorage(orm.em);
    for (let i = 0; i < 3; i++) await storage.increment('a', 60_000, 2, 60_000, 'default');
    expect(await storage.increment('a', 60_000, 2, 60_000, 'default')).toMatchObject({
      isBlocked: true,
    });
    expect(await storage.increment('b', 60_000, 2, 60_000, 'default')).toMatchObject({
      totalHits: 1,
      isBlocked: false,
    });
    expect(await storage.increment('a', 60_000, 2, 60_000, 'person')).toMatchObject({
      totalHits: 1,
      isBlocked: false,
    });
  });

  // Two instances need a server: the embedded database admits one connection.
  const onServer = process.env.TEST_DATABASE_URL ? describe : describe.skip;

  onServer('on a PostgreSQL server', () => {
    it('shares one budget between two instances (two ORMs on one database)', async () => {
      const other = await MikroORM.init(createOrmOptions(db.clientUrl, { embedded: db.embedded }));
      try {
        const [a, b] = [new PgThrottlerStorage(orm.em), new PgThrottlerStorage(other.em)];
        const results = [];
        for (let i = 0; i < 4; i++) {
          results.push(await (i % 2 ? b : a).increment('shared', 60_000, 3, 60_000, 'default'));
        }
        expect(results.map((r) => r.isBlocked)).toEqual([false, false, false, true]);
      } finally {
        await other.close(true);
      }
    });
  });
});
