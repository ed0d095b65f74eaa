/*
 * Auditor export at scale: seeds BENCH_ATTESTATIONS (default 10,000) sealed attestations into
 * a fresh database on the local PostgreSQL, compiles the app (tsc, into node_modules/.cache, so
 * a concurrent `nest build` of dist/ is left alone), then measures the real `attest export` in
 * child processes, RSS sampled every 50 ms by bench/rss-sampler.ts, beside two same-run
 * baselines:
 *   - reading every PDF from the database in the export's batches, without zipping (time);
 *   - `attest export` of nothing (a period in 2999): the CLI's own start-up time and memory.
 * The export runs twice: with Node's default heap settings, and with a 2 MB young generation
 * semi-space (`--max-semi-space-size=2`). The PDFs arrive as bytea hex text, about 1 GB of
 * short-lived strings for 10,000 PDFs; by default V8 grows its young generation for them.
 * Targets: export ≤ 30 s and peak RSS ≤ 300 MB.
 *
 *   npm run bench:export
 *   BENCH_ATTESTATIONS=2000 npm run bench:export           # quicker
 *   BENCH_KEEP=1 npm run bench:export                      # keep the database, print its name
 *   BENCH_REUSE=attest_bench_export_… npm run bench:export  # skip seeding, reuse a kept one
 *   BENCH_SKIP_BUILD=1 …                                   # dist/ is current already
 *
 * Seeding seals every PDF for real (render, seal, audit chain: about 10–20 a second here), so
 * 10,000 take a while: keep the database and reuse it. BENCH_DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres) is the server; the script creates (and unless
 * kept, drops) its own database there. A benchmark, not a test: it asserts nothing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { withAppContext } from '../src/cli/cli-context';
import type { AppConfig } from '../src/config/app-config';
import { loadConfig } from '../src/config/config.loader';
import { migrate } from '../src/database/migration.runner';
import { EXPORT_BATCH } from '../src/exports/attestation-exporter';
import {
  type AttestationCursor,
  ExportAttestationRepository,
} from '../src/exports/export-attestation.repository';
import { ExportArchiveModule } from '../src/exports/export-archive.module';
import { NO_FILTERS, selectionFor } from '../src/exports/export-filters';
import { SeedModule } from '../src/seed/seed.module';
import { SeedService } from '../src/seed/seed.service';
import { TEST_SECRETS } from '../test/helpers/test-app';

const ATTESTATIONS = Number(process.env.BENCH_ATTESTATIONS ?? 10_000);
const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ROOT = join(__dirname, '..');
/** The compiled app: like dist/, at the same depth, so paths relative to it still resolve. */
const BUILD = join(ROOT, 'node_modules', '.cache', 'attest-bench-export');
const MB = 1024 * 1024;

function environment(databaseUrl: string, dataDir: string): Record<string, string> {
  return {
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'warn',
    POLICIES_DIR: join(ROOT, 'policies'),
    ...TEST_SECRETS,
  };
}

const configFor = (databaseUrl: string, dataDir: string): AppConfig =>
  loadConfig(environment(databaseUrl, dataDir));

async function seed(databaseUrl: string, dataDir: string): Promise<void> {
  const database = { clientUrl: databaseUrl, embedded: false, close: () => Promise.resolve() };
  const context = await NestFactory.createApplicationContext(
    SeedModule.forRoot(configFor(databaseUrl, dataDir), database),
    { logger: false, abortOnError: false },
  );
  try {
    await migrate(context.get(MikroORM));
    const started = performance.now();
    // Each employee signs about seven documents and modules: enough people for the target.
    const people = Math.max(100, Math.ceil(ATTESTATIONS / 4));
    const result = await context
      .get(SeedService)
      .seed(people, (line) => console.log(`  ${line}`), { attestations: ATTESTATIONS });
    console.log(
      `Seeded ${result.people} people and ${result.attestations} sealed attestations in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  } finally {
    await context.close();
  }
}

/** Baseline: every PDF read from the database the way the export reads them, nothing else. */
async function readAll(databaseUrl: string, dataDir: string) {
  const config = configFor(databaseUrl, dataDir);
  return withAppContext(config, [ExportArchiveModule], async (context) => {
    const repository = context.get(ExportAttestationRepository);
    const selection = selectionFor(NO_FILTERS, null);
    const started = performance.now();
    let after: AttestationCursor | undefined;
    let count = 0;
    let bytes = 0;
    for (;;) {
      const page = await repository.page(selection, after, EXPORT_BATCH);
      if (page.length === 0) break;
      for (const pdf of (await repository.pdfs(page.map((a) => a.id))).values()) {
        bytes += pdf.length;
        count++;
      }
      after = page[page.length - 1].cursor;
    }
    return { seconds: (performance.now() - started) / 1000, count, bytes };
  });
}

interface CliRun {
  wallSeconds: number;
  /** What the command itself reports: the export without process start-up. */
  exportSeconds: number;
  sampledPeakMb: number;
  maxRssMb: number;
  output: string;
}

/** `attest export …` as an operator runs it, with the RSS sampler preloaded. */
function attestExport(
  args: string[],
  env: Record<string, string>,
  nodeFlags: string[] = [],
): CliRun {
  const started = performance.now();
  const sampler = join(ROOT, 'bench', 'rss-sampler.ts');
  const run = spawnSync(
    process.execPath,
    [...nodeFlags, '--require', sampler, join(BUILD, 'cli', 'attest.js'), 'export', ...args],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 16 * MB },
  );
  const wallSeconds = (performance.now() - started) / 1000;
  if (run.status !== 0) throw new Error(`attest export failed (${run.status}): ${run.stderr}`);
  const rss = /RSS_SAMPLED_PEAK=(\d+) RSS_MAX=(\d+)/.exec(run.stderr);
  const took = / in ([\d.]+) s:/.exec(run.stdout);
  if (!rss || !took) throw new Error(`unexpected output: ${run.stdout}${run.stderr}`);
  return {
    wallSeconds,
    exportSeconds: Number(took[1]),
    sampledPeakMb: Number(rss[1]) / MB,
    maxRssMb: Number(rss[2]) / MB,
    output: run.stdout.trim(),
  };
}

async function main(): Promise<void> {
  const reuse = process.env.BENCH_REUSE;
  const name = reuse ?? `attest_bench_export_${Date.now()}`;
  const admin = new Client({ connectionString: SERVER });
  await admin.connect();
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const dir = mkdtempSync(join(tmpdir(), 'attest-bench-export-'));
  const env = environment(databaseUrl, join(dir, 'data'));
  try {
    if (!reuse) {
      await admin.query(`create database ${name}`);
      await seed(databaseUrl, env.DATA_DIR);
      await admin.query('vacuum analyze').catch(() => undefined);
    }
    if (!process.env.BENCH_SKIP_BUILD) {
      console.log(`Compiling the app into ${BUILD}…`);
      const tsc = [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'];
      const build = spawnSync(
        process.execPath,
        [...tsc, '--outDir', BUILD, '--noCheck', '--sourceMap', 'false'],
        { cwd: ROOT, encoding: 'utf8' },
      );
      if (build.status !== 0) throw new Error(`tsc failed: ${build.stdout}${build.stderr}`);
    }
    const read = await readAll(databaseUrl, env.DATA_DIR);
    const idle = attestExport(['--out', join(dir, 'none.zip'), '--from', '2999-01-01'], env);
    const out = join(dir, 'export.zip');
    const full = attestExport(['--out', out], env);
    const zipMb = statSync(out).size / MB;
    const small = attestExport(['--out', out], env, ['--max-semi-space-size=2']);

    const line = (label: string, seconds: string, rest: string) =>
      console.log(`  ${label.padEnd(44)} ${seconds.padStart(7)}  ${rest}`);
    console.log(
      `\nExport of ${read.count} attestations (${(read.bytes / MB).toFixed(0)} MB of PDFs), PostgreSQL ${name}:`,
    );
    line('baseline: read every PDF, no ZIP', `${read.seconds.toFixed(1)} s`, '');
    line(
      'baseline: attest export of nothing',
      `${idle.exportSeconds.toFixed(1)} s`,
      `process ${idle.wallSeconds.toFixed(1)} s, peak RSS ${idle.sampledPeakMb.toFixed(0)} MB (max RSS ${idle.maxRssMb.toFixed(0)} MB)`,
    );
    const report = (label: string, run: CliRun) => {
      line(
        label,
        `${run.exportSeconds.toFixed(1)} s`,
        `process ${run.wallSeconds.toFixed(1)} s, peak RSS ${run.sampledPeakMb.toFixed(0)} MB (max RSS ${run.maxRssMb.toFixed(0)} MB)`,
      );
      const fast = run.wallSeconds <= 30 ? 'met' : 'MISSED';
      const lean = run.maxRssMb <= 300 ? 'met' : 'MISSED';
      console.log(`  ${''.padEnd(44)} targets: ≤ 30 s ${fast}, ≤ 300 MB ${lean}`);
    };
    report(`attest export of everything (${zipMb.toFixed(0)} MB ZIP)`, full);
    report('  the same, --max-semi-space-size=2', small);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (process.env.BENCH_KEEP || reuse) {
      console.log(`Database kept: BENCH_REUSE=${name}`);
    } else {
      await admin.query(`drop database if exists ${name} with (force)`);
    }
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
