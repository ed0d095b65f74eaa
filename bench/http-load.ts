/*
 * A load generator on a thread of its own: the requests of a benchmark, sent over HTTP with
 * Node's fetch, `concurrency` at a time. A server is measured with its clients elsewhere, as
 * browsers are; on the app's own thread their work (building requests, reading answers) would
 * take turns with the server's and count as its time.
 */
import { Worker } from 'node:worker_threads';

export interface LoadRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly cookie: string;
  /** A form body (application/x-www-form-urlencoded), for a POST. */
  readonly form?: Readonly<Record<string, string>>;
  /** The status the request must answer with. */
  readonly status: number;
}

export interface LoadResult {
  /** Requests per second over the whole run. */
  readonly rate: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

// Plain JavaScript: a worker does not inherit the ts-node hook the benchmarks run under.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { base, requests, concurrency } = workerData;
const send = async (r) => {
  const res = await fetch(base + r.path, {
    method: r.method,
    redirect: 'manual',
    headers: {
      cookie: r.cookie,
      accept: 'text/html',
      'user-agent': 'AttestBench/1.0',
      ...(r.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    body: r.form ? new URLSearchParams(r.form).toString() : undefined,
  });
  await res.arrayBuffer();
  if (res.status !== r.status) throw new Error(r.method + ' ' + r.path + ' answered ' + res.status);
};
(async () => {
  const times = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let i = next++; i < requests.length; i = next++) {
      const t0 = performance.now();
      await send(requests[i]);
      times.push(performance.now() - t0);
    }
  }));
  parentPort.postMessage({ times, seconds: (performance.now() - started) / 1000 });
})().catch((error) => parentPort.postMessage({ error: String(error) }));
`;

/** The p-th percentile of sorted values (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Sends `requests` from a worker thread, `concurrency` at a time; resolves with the figures. */
export function loadOverHttp(
  base: string,
  requests: readonly LoadRequest[],
  concurrency: number,
): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, {
      eval: true,
      workerData: { base, requests, concurrency },
    });
    worker.once('error', reject);
    worker.once('message', (message: { times?: number[]; seconds?: number; error?: string }) => {
      void worker.terminate();
      if (message.error !== undefined) return reject(new Error(message.error));
      const times = [...message.times!].sort((a, b) => a - b);
      resolve({
        rate: requests.length / message.seconds!,
        p50: percentile(times, 50),
        p95: percentile(times, 95),
        p99: percentile(times, 99),
      });
    });
  });
}
