import { MikroORM } from '@mikro-orm/postgresql';
import { createOrmOptions } from '../../src/database/mikro-orm.config';
import { migrate } from '../../src/database/migration.runner';
import { prepared, runPrepared } from '../../src/database/prepared-statement';
import { RequirementInputsRepository } from '../../src/requirements/requirement-inputs.repository';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';

/** The ORM's pool prepares marked statements once per connection; everything else is as before. */
describe('prepared statements', () => {
  let db: TestDatabase;
  let orm: MikroORM;

  beforeAll(async () => {
    db = await createTestDatabase();
    // One connection, so every statement below runs on the same session.
    orm = await MikroORM.init(
      createOrmOptions(db.clientUrl, { embedded: db.embedded, poolMax: 1 }),
    );
    await migrate(orm);
    await orm.em.fork().execute('create table prepared_probe (id text primary key)');
  });

  afterAll(async () => {
    await orm?.close(true);
    await db?.close();
  });

  const preparedOnSession = (em: MikroORM['em']) =>
    em.execute<{ statement: string; generic_plans: string; custom_plans: string }[]>(
      'select statement, generic_plans, custom_plans from pg_prepared_statements',
    );

  it('parses a marked statement once, binds each call’s values and plans for them', async () => {
    const sum = prepared('select ?::int + ?::int as sum, ?::text as quoted');
    await orm.em.fork().transactional(async (em) => {
      const tricky = `it's "quoted"; select 1 --`;
      for (const n of [1, 2, 3, 4, 5, 6, 7]) {
        const [row] = await runPrepared<{ sum: number; quoted: string }>(em, sum, [n, 10, tricky]);
        expect(row).toEqual({ sum: n + 10, quoted: tricky });
      }
      const statements = await preparedOnSession(em);
      const mine = statements.filter((s) => s.statement.includes('$1::int + $2::int'));
      expect(mine).toHaveLength(1);
      // Each call planned for its values: no generic plan settles in after the fifth.
      expect([mine[0].custom_plans, mine[0].generic_plans].map(Number)).toEqual([7, 0]);
      // The ORM's own statements are not prepared.
      expect(statements.every((s) => s.statement.startsWith('/* prepared */'))).toBe(true);
    });
  });

  it('rolls back with the transaction it ran in', async () => {
    const insert = prepared('insert into prepared_probe (id) values (?)');
    const id = 'rolled back';
    await expect(
      orm.em.fork().transactional(async (em) => {
        await runPrepared(em, insert, [id]);
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    const rows = await orm.em.fork().execute('select id from prepared_probe where id = ?', [id]);
    expect(rows).toEqual([]);
  });

  it('loads derivation inputs for a batch of people given as an array parameter', async () => {
    const em = orm.em.fork();
    const ids = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222'];
    for (const [n, id] of ids.entries()) {
      await em.execute(
        `insert into person (id, email, full_name, roles, created_at, updated_at)
         values (?, ?, ?, '{employee}', now(), now())`,
        [id, `prepared.${n}@corp.example`, `Prepared ${n}`],
      );
    }
    const inputs = await em.transactional((tx) =>
      new RequirementInputsRepository(orm.em as never).loadFor(tx, ids),
    );
    expect(inputs.people.map((p) => p.id).sort()).toEqual(ids);
    const none = await em.transactional((tx) =>
      new RequirementInputsRepository(orm.em as never).loadFor(tx, []),
    );
    expect(none.people).toEqual([]);
  });
});
