/*
 * /verify under a decompression bomb: starts the whole app, then measures GET /healthz latency
 * with no upload (the same-run baseline) and while a 1 MB PDF whose object stream inflates to
 * 1 GiB, then a 19 MB PDF of 540,000 tiny objects, is posted to /verify; prints p50/p95/max of
 * each, the peak RSS growth during each upload, and the verdicts.
 *
 *   npm run bench:verify
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:verify
 *
 * This is a benchmark, not a test: it prints figures and asserts nothing about time.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import {
  inflationBombPdf,
  manyObjectsPdf,
  pathologicalPdfs,
} from '../test/factories/pdf-bomb.factory';
import { createTestApp } from '../test/helpers/test-app';

const MIB = 1024 * 1024;
const BASELINE_SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
const figures = (times: number[]) => {
  const sorted = [...times].sort((a, b) => a - b);
  return `p50 ${percentile(sorted, 50).toFixed(1)} ms, p95 ${percentile(sorted, 95).toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms (n=${sorted.length})`;
};
const statusKb = (field: string) =>
  Number(
    new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'))?.[1],
  ) * 1024;

async function healthz(base: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${base}/healthz`);
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`/healthz answered ${res.status}`);
  return performance.now() - started;
}

/** Polls /healthz back to back until `work` settles; at least `min` samples. */
async function pollDuring<T>(base: string, work: Promise<T>, min = 20) {
  let done = false;
  const result = work.finally(() => (done = true));
  const times: number[] = [];
  while (!done || times.length < min) times.push(await healthz(base));
  return { times, result: await result };
}

async function upload(base: string, bytes: Buffer): Promise<string> {
  const form = new FormData();
  form.append(
    'file',
    new Blob([new Uint8Array(bytes)], { type: 'application/pdf' }),
    'attestation.pdf',
  );
  const res = await fetch(`${base}/verify`, {
    method: 'POST',
    body: form,
    headers: { accept: 'text/html' },
  });
  const html = await res.text();
  return `${res.status} ${/data-reason="([^"]+)"/.exec(html)?.[1] ?? 'valid'}`;
}

async function main(): Promise<void> {
  const t = await createTestApp({ env: { LOG_LEVEL: 'warn' } });
  await t.app.listen(0, '127.0.0.1');
  const base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
  try {
    for (let i = 0; i < 20; i++) await healthz(base);
    const baseline: number[] = [];
    for (let i = 0; i < BASELINE_SAMPLES; i++) baseline.push(await healthz(base));
    console.log(`baseline GET /healthz, no upload:           ${figures(baseline)}`);

    for (const [name, bytes] of [
      ['1 MB object stream inflating to 1 GiB', inflationBombPdf(1024 * MIB)],
      ['19 MB of 540,000 tiny objects', manyObjectsPdf(540_000)],
      ...Object.entries(pathologicalPdfs()).map(([name, pdf]): [string, Buffer] => [
        `18 MB: ${name}`,
        pdf,
      ]),
    ] as const) {
      writeFileSync('/proc/self/clear_refs', '5');
      const before = statusKb('VmRSS');
      const started = performance.now();
      const { times, result } = await pollDuring(base, upload(base, bytes));
      const took = performance.now() - started;
      const grew = statusKb('VmHWM') - before;
      console.log(`GET /healthz during ${name}: ${figures(times)}`);
      console.log(
        `  ${(bytes.length / MIB).toFixed(2)} MB upload answered ${result} after ${took.toFixed(0)} ms (with polling); peak RSS +${(grew / MIB).toFixed(1)} MB`,
      );
    }
  } finally {
    await t.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
