/*
 * HR pages at scale: seeds BENCH_PEOPLE people (default 100,000, about 1,000,000 assignments)
 * into a fresh database on the local PostgreSQL, then measures p50/p95 of the HR overview, the
 * overdue list (first page and a deep page) and one person page, beside a same-run baseline
 * (GET /healthz, which touches no database, and GET /readyz, one `select 1`).
 *
 *   npm run bench:hr                       # 100k people
 *   BENCH_PEOPLE=10000 npm run bench:hr    # quicker
 *
 * BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) is the server; the
 * script creates and drops its own database there. This is a benchmark, not a test: it prints
 * figures and asserts nothing about time.
 */
import { MikroORM } from '@mikro-orm/postgresql';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { createApp } from '../src/app.bootstrap';
import { migrate } from '../src/database/migration.runner';
import { SeedModule } from '../src/seed/seed.module';
import { SeedService } from '../src/seed/seed.service';
import { openBenchDatabase } from './bench-database';
import { LogCapture } from '../test/helpers/log-capture';
import { signIn } from '../test/helpers/test-idp';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 100_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 40);

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
  const { config, database, url, drop } = await openBenchDatabase('attest_bench', {
    AUTH_RATE_LIMIT: '100000',
  });
  try {
    const seedStarted = performance.now();
    const context = await NestFactory.createApplicationContext(
      SeedModule.forRoot(config, database),
      { logger: false },
    );
    await migrate(context.get(MikroORM));
    const seeded = await context.get(SeedService).seed(PEOPLE, (line) => console.log(`  ${line}`));
    await context.close();
    console.log(
      `Seeded ${seeded.people} people, ${seeded.assignments} assignments, ${seeded.completions} completions in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`,
    );
    const bench = new Client({ connectionString: url });
    await bench.connect();
    await bench.query('vacuum analyze');

    const app = await createApp({ config, database, logDestination: new LogCapture() });
    await app.listen(0, '127.0.0.1');
    const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
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
      ['one person page', `/onboarding/people/${person.person_id}`],
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
    await drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
