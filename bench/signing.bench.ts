/*
 * The signing path as a person meets it: BENCH_SIGNATURES document signatures (default 1,000)
 * over HTTP, BENCH_CONCURRENCY (default 20) at a time, by people signed in through the real
 * SAML flow, against the app on a fresh database on the local PostgreSQL. Each signature is the
 * whole thing: ESIGN checks, signature row, completion, audit event, PDF rendered and sealed,
 * one transaction, 303. Beside it, two same-run baselines:
 *
 *   - the floor: render + seal of the same documents' attestations, in process, no database;
 *   - the HTTP floor: a bare authenticated page (GET /documents/consent), same concurrency.
 *
 *   npm run bench:signing
 *   BENCH_SIGNATURES=300 BENCH_CONCURRENCY=8 npm run bench:signing
 *   BENCH_CPU_PROFILE=1 npm run bench:signing   # also writes a .cpuprofile of the signing run
 *   BENCH_KEEP=1 npm run bench:signing          # keeps attest_bench_signing to look into
 *
 * Consent and the first view of each document happen before the clock starts: they are other
 * pages. BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) is the server;
 * the script creates and drops its own database there. This is a benchmark, not a test: it
 * prints figures and asserts nothing about time.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { createApp } from '../src/app.bootstrap';
import type { AttestationEvidence } from '../src/attestations/attestation-evidence';
import { AttestationsService } from '../src/attestations/attestations.service';
import { AttestationPdfRenderer } from '../src/attestations/pdf/attestation-pdf.renderer';
import { DocumentSealer } from '../src/attestations/seal/document-sealer';
import { SealIdentity } from '../src/attestations/seal/seal-identity';
import { defaultPdfWorkers } from '../src/config/config.loader';
import { migrate } from '../src/database/migration.runner';
import { SeedModule } from '../src/seed/seed.module';
import { formPostingTo } from '../test/helpers/html-forms';
import { hiddenCsrfToken } from '../test/helpers/role-sessions';
import { openBenchDatabase } from './bench-database';
import { type LoadRequest, type LoadResult, loadOverHttp, percentile } from './http-load';
import { LogCapture } from '../test/helpers/log-capture';
import { signIn } from '../test/helpers/test-idp';

const SIGNATURES = Number(process.env.BENCH_SIGNATURES ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 20);
const PROFILE = process.env.BENCH_CPU_PROFILE === '1';
const QUERY_STATS = process.env.BENCH_QUERY_STATS === '1';

/** Statement → [calls, total ms from send to answer], for BENCH_QUERY_STATS. */
const statements = new Map<string, [number, number]>();
let countingQueries = false;
if (QUERY_STATS) {
  // The ORM's own copy of the driver: the app's queries go through it.
  const pg = require(
    join(__dirname, '..', 'node_modules/@mikro-orm/postgresql/node_modules/pg'),
  ) as typeof import('pg');
  // oxlint-disable-next-line typescript/unbound-method -- called with the client's `this` below
  const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  pg.Client.prototype.query = function (this: unknown, ...args: unknown[]) {
    const result = query.apply(this, args);
    const first = args[0] as string | { text?: string };
    // The ORM writes values into the statement: fold them, so one statement is one line.
    const text = (typeof first === 'string' ? first : (first?.text ?? ''))
      .replace(/'(?:[^']|'')*'/g, '?')
      .replace(/\b\d+\b/g, 'N')
      .replace(/\s+/g, ' ')
      .slice(0, 100);
    if (!countingQueries || !(result instanceof Promise)) return result;
    const started = performance.now();
    return result.finally(() => {
      const entry = statements.get(text) ?? [0, 0];
      statements.set(text, [entry[0] + 1, entry[1] + performance.now() - started]);
    });
  } as typeof pg.Client.prototype.query;
}
const DOCUMENTS = [
  'information-security-policy',
  'acceptable-use-policy',
  'data-protection-policy',
  'incident-reporting-policy',
  'nda',
  'confidentiality-agreement',
];

interface Signer {
  cookie: string;
  csrf: string;
  name: string;
}

interface Task {
  signer: Signer;
  action: string;
  submission: string;
}

/**
 * Processor time (ms) used so far by this machine's PostgreSQL server processes, from
 * /proc/<pid>/stat (utime + stime, fields 14 and 15, in clock ticks of 10 ms): where the
 * database server is local, as here, the signing path's cost is the app's and the server's.
 */
function postgresCpuMs(): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (!stat.includes('(postgres)')) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended while we looked.
    }
  }
  return ticks * 10;
}

/** This process's processor time (ms), all threads. */
const appCpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** Runs `count` jobs, `concurrency` at a time; returns per-job latencies (ms) and jobs/s. */
async function run(count: number, concurrency: number, job: (i: number) => Promise<void>) {
  const times: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) {
        const t0 = performance.now();
        await job(i);
        times.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  return {
    rate: count / seconds,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
  };
}

function report(label: string, r: LoadResult, floor?: number) {
  console.log(
    label.padEnd(52),
    r.rate.toFixed(1).padStart(8),
    r.p50.toFixed(1).padStart(8),
    r.p95.toFixed(1).padStart(8),
    r.p99.toFixed(1).padStart(8),
    floor ? `${((100 * r.rate) / floor).toFixed(0).padStart(6)}%` : '',
  );
}

async function main(): Promise<void> {
  const { config, database, url, drop } = await openBenchDatabase('attest_bench_signing', {
    AUTH_RATE_LIMIT: '1000000',
    // What production starts with on this machine, unless PDF_WORKERS says otherwise.
    PDF_WORKERS: process.env.PDF_WORKERS ?? String(defaultPdfWorkers()),
  });
  try {
    const context = await NestFactory.createApplicationContext(
      SeedModule.forRoot(config, database),
      { logger: ['error'] },
    );
    await migrate(context.get(MikroORM));
    await context.close();

    const app = await createApp({ config, database, logDestination: new LogCapture() });
    await app.listen(0, '127.0.0.1');
    const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const sp = { acsUrl: config.saml.acsUrl, spEntityId: config.saml.spEntityId };
    const get = async (path: string, cookie: string) => {
      const res = await fetch(base + path, { headers: { cookie, accept: 'text/html' } });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}`);
      return text;
    };
    const post = async (path: string, cookie: string, form: Record<string, string>) => {
      const res = await fetch(base + path, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          cookie,
          accept: 'text/html',
          'content-type': 'application/x-www-form-urlencoded',
          'user-agent': 'AttestBench/1.0',
        },
        body: new URLSearchParams(form).toString(),
      });
      await res.arrayBuffer();
      if (res.status !== 303) throw new Error(`POST ${path} answered ${res.status}`);
    };

    // Sign people in and bring each to the signing form of every document (not timed).
    const people = Math.ceil(SIGNATURES / DOCUMENTS.length);
    const prepareStarted = performance.now();
    const signers: Signer[] = [];
    const tasksByDocument: Task[][] = DOCUMENTS.map(() => []);
    await run(people, CONCURRENCY, async (i) => {
      const signerName = `Bench Signer ${i}`;
      const cookie = await signIn(app.getHttpServer(), sp, {
        email: `bench.signer.${i}@corp.example`,
        displayName: signerName,
        attributes: { startDate: '2026-01-05', country: 'GB' },
      });
      const csrf = hiddenCsrfToken(await get('/me', cookie));
      const signer = { cookie, csrf, name: signerName };
      signers.push(signer);
      await post('/documents/consent', cookie, { _csrf: csrf, agree: 'yes', next: '/me' });
      for (const [d, documentId] of DOCUMENTS.entries()) {
        const form = formPostingTo(await get(`/documents/${documentId}`, cookie), /signatures$/);
        tasksByDocument[d].push({
          signer,
          action: form.action,
          submission: form.hidden.submission,
        });
      }
    });
    // Document by document, so that the signatures in flight are different people's.
    const tasks = tasksByDocument.flat().slice(0, SIGNATURES);
    console.log(
      `PDF threads: ${config.pdfWorkers}. Prepared ${signers.length} people (SAML sign-in, consent, ${DOCUMENTS.length} documents opened) in ${((performance.now() - prepareStarted) / 1000).toFixed(1)} s. Node ${process.version}.`,
    );

    // Both timed runs send their requests from a thread of their own (bench/http-load.ts).
    const bareSigner = signers[0];
    const bare = (n: number): LoadRequest[] =>
      Array.from({ length: n }, () => ({
        method: 'GET',
        path: '/documents/consent',
        cookie: bareSigner.cookie,
        status: 200,
      }));
    await loadOverHttp(base, bare(50), CONCURRENCY);
    const http = await loadOverHttp(base, bare(SIGNATURES), CONCURRENCY);

    const profiler = PROFILE ? new Session() : null;
    if (profiler) {
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
    }
    countingQueries = true;
    const [app0, db0, loop0] = [appCpuMs(), postgresCpuMs(), performance.eventLoopUtilization()];
    const signing = await loadOverHttp(
      base,
      tasks.map(({ signer, action, submission }) => ({
        method: 'POST',
        path: action,
        cookie: signer.cookie,
        form: { _csrf: signer.csrf, intent: 'yes', typedName: signer.name, submission },
        status: 303,
      })),
      CONCURRENCY,
    );
    const cpu = {
      app: (appCpuMs() - app0) / tasks.length,
      db: (postgresCpuMs() - db0) / tasks.length,
      // The one thread that serves every request (event-loop utilisation).
      main: performance.eventLoopUtilization(loop0).active / tasks.length,
    };
    countingQueries = false;
    if (QUERY_STATS) {
      console.log(`Statements per signature (calls, ms each from send to answer):`);
      for (const [text, [calls, ms]] of [...statements].sort((a, b) => b[1][1] - a[1][1])) {
        console.log(
          (calls / tasks.length).toFixed(2).padStart(6),
          (ms / calls).toFixed(2).padStart(8),
          text,
        );
      }
    }
    if (profiler) {
      const { profile } = await profiler.post('Profiler.stop');
      const file = join(tmpdir(), `signing-${Date.now()}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      console.log(`CPU profile of the signing run: ${file}`);
    }

    // The floor: the same documents' attestations rendered and sealed, no database, no HTTP.
    const db = new Client({ connectionString: url });
    await db.connect();
    const { rows } = await db.query<{ evidence: AttestationEvidence; body: string }>(
      `select a.evidence, v.body from attestation a
         join signature s on s.id = a.signature_id
         join document_version v on v.id = s.document_version_id
        order by a.created_at limit $1`,
      [DOCUMENTS.length * 4],
    );
    const [{ count, kib }] = (
      await db.query<{ count: string; kib: string }>(
        'select count(*), round(avg(octet_length(pdf)) / 1024) as kib from attestation',
      )
    ).rows;
    await db.end();
    const renderer = app.get(AttestationPdfRenderer);
    const sealer = app.get(DocumentSealer);
    const seal = app.get(SealIdentity);
    const attestations = app.get(AttestationsService);
    const floor = await run(tasks.length, CONCURRENCY, async (i) => {
      const { evidence, body } = rows[i % rows.length];
      const doc = await renderer.renderAttestation({
        evidence,
        markdown: body,
        verificationUrl: attestations.verificationUrl(evidence.attestationId),
        seal,
      });
      await sealer.seal(doc, { reason: 'bench', name: config.organisationName });
    });

    console.log(
      `\n${tasks.length} signatures by ${signers.length} people, ${CONCURRENCY} concurrent; ${count} attestations stored, ${kib} KiB each on average.`,
    );
    console.log(
      'case'.padEnd(52),
      'per s'.padStart(8),
      'p50 ms'.padStart(8),
      'p95 ms'.padStart(8),
      'p99 ms'.padStart(8),
      '% floor'.padStart(7),
    );
    report('floor: render + seal, no database', floor);
    report('HTTP floor: GET /documents/consent', http);
    report('signing: POST …/signatures (303)', signing, floor.rate);
    console.log(
      `\nProcessor time per signature: ${cpu.app.toFixed(1)} ms in this process (the app, and the load thread sending the requests), of which ${cpu.main.toFixed(1)} ms busy on its main thread; ${cpu.db.toFixed(1)} ms in PostgreSQL.`,
    );
    await app.close();
  } finally {
    // BENCH_KEEP=1 keeps the database, to look into afterwards (EXPLAIN, pg_stat_statements).
    if (process.env.BENCH_KEEP !== '1') await drop();
    else console.log(`Kept ${new URL(url).pathname.slice(1)}.`);
  }
}

main().then(
  // A kept database leaves the admin connection open.
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
