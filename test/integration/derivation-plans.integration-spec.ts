import { MikroORM } from '@mikro-orm/postgresql';
import { createOrmOptions } from '../../src/database/mikro-orm.config';
import { migrate } from '../../src/database/migration.runner';
import type { PreparedStatement } from '../../src/database/prepared-statement';
import { REFRESH_SUMMARY, REPLACE } from '../../src/requirements/requirement-assignment.repository';
import { LOAD_INPUTS } from '../../src/requirements/requirement-inputs.repository';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

/** Every table a plan reads whole. */
function seqScans(node: PlanNode): string[] {
  return [
    ...(node['Node Type'] === 'Seq Scan' ? [node['Relation Name']!] : []),
    ...(node.Plans ?? []).flatMap(seqScans),
  ];
}

/**
 * Re-derivation runs inside every signature's transaction, for one person. Its statements must
 * read that person's rows through the person indexes, whatever else the tables hold: read as a
 * JSON list, the people were a set the planner guessed at 100 rows, and every signature scanned
 * every completion, view and assignment ever recorded.
 */
describe('re-derivation’s statements for one person', () => {
  let db: TestDatabase;
  let orm: MikroORM;
  let personId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    // One connection: PREPARE and EXPLAIN EXECUTE must meet on the same session.
    orm = await MikroORM.init(
      createOrmOptions(db.clientUrl, { embedded: db.embedded, poolMax: 1 }),
    );
    await migrate(orm);
    const em = orm.em.fork();
    // 5,000 people, each with 3 completions and 3 assignments.
    await em.execute(
      `insert into person (id, email, full_name, roles, start_date, created_at, updated_at)
       select gen_random_uuid(), 'p' || n || '@corp.example', 'Person ' || n, '{employee}',
              date '2026-01-05', now(), now()
         from generate_series(1, 5000) n`,
    );
    await em.execute(
      `insert into requirement_completion (id, person_id, requirement_id, kind, subject,
              completed_at, source, recorded_at)
       select gen_random_uuid(), p.id, 'rule-' || n, 'document', 'doc-' || n, now(), 'import', now()
         from person p, generate_series(1, 3) n`,
    );
    await em.execute(
      `insert into requirement_assignment (id, person_id, requirement_id, kind, subject, cycle,
              due_date, status, updated_at)
       select gen_random_uuid(), p.id, 'rule-' || n, 'document', 'doc-' || n, 0,
              date '2026-02-01', 'not_started', now()
         from person p, generate_series(1, 3) n`,
    );
    // As autovacuum would have by now in production.
    await em.execute('analyze');
    [{ id: personId }] = await em.execute<{ id: string }[]>('select id from person limit 1');
  });

  afterAll(async () => {
    await orm?.close(true);
    await db?.close();
  });

  /** The tables `statement` reads whole, as planned for these arguments (SQL literals). */
  async function tablesScanned(
    statement: PreparedStatement,
    args: readonly string[],
    mode: 'force_custom_plan' | 'force_generic_plan',
  ): Promise<string[]> {
    const em = orm.em.fork();
    await em.execute(`set plan_cache_mode = ${mode}`);
    await em.execute(`prepare probe as ${statement.text}`);
    try {
      const [row] = await em.execute<{ 'QUERY PLAN': { Plan: PlanNode }[] }[]>(
        `explain (format json) execute probe(${args.join(', ')})`,
      );
      return seqScans(row['QUERY PLAN'][0].Plan);
    } finally {
      await em.execute('deallocate probe');
      await em.execute('reset plan_cache_mode');
    }
  }

  const one = () => `'{${personId}}'::uuid[]`;
  const rows = () =>
    `'${JSON.stringify([{ id: personId, person_id: personId, requirement_id: 'rule-1', cycle: 0 }])}'::jsonb`;
  const big = ['person', 'requirement_completion', 'requirement_assignment'];

  // The app's connections plan each call for its values; a generic plan must not scan either.
  it.each(['force_custom_plan', 'force_generic_plan'] as const)(
    'reads inputs through the person indexes (%s)',
    async (mode) => {
      const scanned = await tablesScanned(LOAD_INPUTS, [one()], mode);
      expect(scanned.filter((t) => big.includes(t))).toEqual([]);
    },
  );

  it.each(['force_custom_plan', 'force_generic_plan'] as const)(
    'rewrites assignments and the summary through the person indexes (%s)',
    async (mode) => {
      const replace = await tablesScanned(REPLACE, ['now()', rows(), one(), rows()], mode);
      const refresh = await tablesScanned(REFRESH_SUMMARY, [`'[]'::jsonb`, one()], mode);
      expect([...replace, ...refresh].filter((t) => big.includes(t))).toEqual([]);
    },
  );
});
