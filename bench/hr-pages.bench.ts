/*
 * HR pages at scale: seeds BENCH_PEOPLE people (default 100,000, about 1,000,000 assignments)
 * into a fresh database on the local PostgreSQL, then measures p50/p95 of the HR overview, the
 * overdue list (first page and a deep page), the one person page, the people search and list,
 * beside a same-run baseline (GET /healthz, which touches no database, and GET /readyz, one
 * `select 1`).
 *
 *   npm run bench:hr                       # 100k people
 *   BENCH_PEOPLE=10000 npm run bench:hr    # quicker
 *   BENCH_KEEP=1 npm run bench:hr          # keep the seeded database, print its name
 *   BENCH_REUSE=attest_bench_… npm run bench:hr   # measure a kept database again (migrated)
 *
 * BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) is the server; the
 * script creates and drops its own database there. This is a benchmark, not a test: it prints
 * figures and asserts nothing about time.
 */
import { Client } from 'pg';
import { createApp } from '../src/app.bootstrap';
import { OnboardingRollupCompactor } from '../src/onboarding/onboarding-rollup.compactor';
import { openOrReuseBenchDatabase, seedBenchDatabase } from './bench-database';
import { LogCapture } from '../test/helpers/log-capture';
import { signIn } from '../test/helpers/test-idp';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 100_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 40);
const KEEP = process.env.BENCH_KEEP === '1';
const REUSE = process.env.BENCH_REUSE;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function measure(base: string, path: string, cookie: string) {
  const times: number[] = [];
  for (let i = 0; i < SAMPLES + 3; i++) {
    const started = performance.now();
    const res = await fetch(base + path, { headers: { cookie, accept: 'text/html' } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
    if (i >= 3) times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95), max: times[times.length - 1] };
}

async function main(): Promise<void> {
  const { config, database, url, drop, name } = await openOrReuseBenchDatabase(
    'attest_bench',
    { AUTH_RATE_LIMIT: '100000' },
    REUSE,
  );
  try {
    await seedBenchDatabase({ config, database }, PEOPLE, REUSE);
    const bench = new Client({ connectionString: url });
    await bench.connect();
    await bench.query('vacuum analyze');

    const app = await createApp({ config, database, logDestination: new LogCapture() });
    await app.listen(0, '127.0.0.1');
    const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    // The start's pass folds the rollups' delta rows that seeding left: measure after it.
    const compacting = performance.now();
    await app.get(OnboardingRollupCompactor).whenIdle();
    console.log(
      `Rollups compacted at start in ${((performance.now() - compacting) / 1000).toFixed(1)} s.`,
    );
    const sp = { acsUrl: config.saml.acsUrl, spEntityId: config.saml.spEntityId };
    const hr = await signIn(app.getHttpServer(), sp, {
      email: 'bench.hr@corp.example',
      groups: ['attest-hr'],
    });
    const [{ count }] = (
      await bench.query(
        "select count(*)::int as count from requirement_assignment where status not in ('done','waived') and due_date < current_date",
      )
    ).rows as { count: number }[];
    const deep = Math.floor(count * 0.8);
    const [cursor] = (
      await bench.query(
        `select to_char(due_date, 'YYYY-MM-DD') || '_' || id as cursor from requirement_assignment
          where status not in ('done','waived') and due_date < current_date
          order by due_date, id offset $1 limit 1`,
        [deep],
      )
    ).rows as { cursor: string }[];
    const [person] = (await bench.query('select person_id from requirement_assignment limit 1'))
      .rows as {
      person_id: string;
    }[];
    // A search as HR types it: part of someone's surname, and an employee number.
    const [someone] = (
      await bench.query(
        `select full_name, employee_number from person where employee_number is not null offset ${Math.min(5000, Math.floor(PEOPLE / 2))} limit 1`,
      )
    ).rows as { full_name: string; employee_number: string }[];
    const surname = someone.full_name.split(' ').at(-1)!.slice(0, 5).toLowerCase();
    const [{ total: people }] = (await bench.query('select count(*)::int as total from person'))
      .rows as { total: number }[];
    await bench.end();

    const cases: [string, string][] = [
      ['baseline: GET /healthz (no database)', '/healthz'],
      ['baseline: GET /readyz (select 1)', '/readyz'],
      ['HR overview GET /onboarding', '/onboarding'],
      ['overdue list, first page', '/onboarding/overdue'],
      [
        `overdue list, deep page (row ${deep} of ${count})`,
        `/onboarding/overdue?after=${cursor?.cursor ?? ''}`,
      ],
      ['one person page GET /people/:id', `/people/${person.person_id}`],
      ['auditor evidence view GET /auditors/people/:id', `/auditors/people/${person.person_id}`],
      [`people search by name ("${surname}")`, `/people?q=${encodeURIComponent(surname)}`],
      ['people search by employee number', `/people?q=${someone.employee_number}`],
      ['people list, first page', '/people'],
      [
        `people list, last page (of ${people})`,
        `/people?page=${Math.max(1, Math.ceil(people / 50))}`,
      ],
      ['people onboarding (headline click-through)', '/people?onboarding=open'],
    ];
    console.log(`\n${PEOPLE} people, ${SAMPLES} sequential requests each (ms):`);
    console.log('case'.padEnd(58), 'p50'.padStart(8), 'p95'.padStart(8), 'max'.padStart(8));
    for (const [label, path] of cases) {
      const r = await measure(base, path, hr);
      console.log(
        label.padEnd(58),
        r.p50.toFixed(1).padStart(8),
        r.p95.toFixed(1).padStart(8),
        r.max.toFixed(1).padStart(8),
      );
    }
    await app.close();
  } finally {
    if (KEEP || REUSE) console.log(`\nKept the database ${name}.`);
    else await drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
