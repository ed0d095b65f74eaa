import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { migrate } from '../src/database/migration.runner';
import { SeedModule } from '../src/seed/seed.module';
import { SeedService } from '../src/seed/seed.service';
import type { AppConfig } from '../src/config/app-config';
import { loadConfig } from '../src/config/config.loader';
import type { DatabaseEndpoint } from '../src/database/embedded-postgres';
import { TEST_SECRETS } from '../test/helpers/test-app';
import { testIdpEnv } from '../test/helpers/test-idp';

/** The local PostgreSQL server the benches create their databases on. */
export const BENCH_SERVER =
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  readonly config: AppConfig;
  readonly database: DatabaseEndpoint;
  /** The database's own URL, for queries beside the app's. */
  readonly url: string;
  /** Drops the database; call it whatever happened. */
  readonly drop: () => Promise<void>;
}

/**
 * A fresh database on the local server for one bench run, and the app's configuration for it
 * (the test IdP, quiet logs, `env` on top).
 */
export async function openBenchDatabase(
  prefix: string,
  env: Record<string, string> = {},
): Promise<BenchDatabase> {
  const name = `${prefix}_${Date.now()}`;
  const admin = new Client({ connectionString: BENCH_SERVER });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(BENCH_SERVER);
  url.pathname = `/${name}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: mkdtempSync(join(tmpdir(), `${prefix}-`)),
    DATABASE_URL: url.toString(),
    LOG_LEVEL: 'warn',
    ...TEST_SECRETS,
    ...(await testIdpEnv()),
    ...env,
  });
  return {
    config,
    database: { clientUrl: url.toString(), embedded: false, close: () => Promise.resolve() },
    url: url.toString(),
    drop: async () => {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/**
 * A fresh database for the run, or, with `reuse` (BENCH_REUSE), the kept database of that name
 * (migrated by the bench as usual); its `drop` then keeps it.
 */
export async function openOrReuseBenchDatabase(
  prefix: string,
  env: Record<string, string>,
  reuse: string | undefined,
): Promise<BenchDatabase & { name: string }> {
  const fresh = await openBenchDatabase(reuse ? 'attest_bench_unused' : prefix, env);
  const freshName = new URL(fresh.url).pathname.slice(1);
  if (!reuse) return { ...fresh, name: freshName };
  await fresh.drop();
  const url = new URL(BENCH_SERVER);
  url.pathname = `/${reuse}`;
  const config = { ...fresh.config, database: { ...fresh.config.database, url: url.toString() } };
  return {
    config: config as typeof fresh.config,
    database: { clientUrl: url.toString(), embedded: false, close: () => Promise.resolve() },
    url: url.toString(),
    drop: () => Promise.resolve(),
    name: reuse,
  };
}

/**
 * Migrates the bench database and, unless it is a kept one (`reuse`), seeds `people` people
 * through the real seeder, printing its progress and time.
 */
export async function seedBenchDatabase(
  bench: Pick<BenchDatabase, 'config' | 'database'>,
  people: number,
  reuse: string | undefined,
): Promise<void> {
  const started = performance.now();
  const context = await NestFactory.createApplicationContext(
    SeedModule.forRoot(bench.config, bench.database),
    { logger: false },
  );
  try {
    await migrate(context.get(MikroORM));
    if (reuse) return;
    const seeded = await context.get(SeedService).seed(people, (line) => console.log(`  ${line}`));
    console.log(
      `Seeded ${seeded.people} people, ${seeded.assignments} assignments, ${seeded.completions} completions in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  } finally {
    await context.close();
  }
}
