/*
 * SCIM provisioning at scale, on a fresh database on the local PostgreSQL:
 *
 *   1. provisions BENCH_SCIM_USERS users (default 10,000) one after another as Okta does: a
 *      `GET /Users?filter=userName eq "…"&startIndex=1&count=100`, then the `POST /Users`;
 *   2. seeds people directly up to BENCH_PEOPLE (default 100,000);
 *   3. lists every User with `GET /Users?startIndex=…&count=BENCH_PAGE` (default 100), as a
 *      full import from the IdP's side reads them;
 *
 * beside a same-run baseline: an authenticated `GET /scim/v2/ServiceProviderConfig` (the token
 * check and the rate-limit counter, no query of people).
 *
 *   npm run bench:scim
 *   BENCH_SCIM_USERS=2000 BENCH_PEOPLE=20000 npm run bench:scim    # quicker
 *
 * The per-address SCIM limit (SCIM_LIMIT_PER_MINUTE) would throttle a run this fast, so the
 * requests come from a new X-Forwarded-For address every 2,000 (TRUST_PROXY=1): the counter's
 * cost is still in every figure. This is a benchmark: it prints figures and asserts nothing.
 */
import { Client } from 'pg';
import { createApp } from '../src/app.bootstrap';
import { ApiTokensService } from '../src/api-tokens/api-tokens.service';
import { LogCapture } from '../test/helpers/log-capture';
import { openBenchDatabase } from './bench-database';

const USERS = Number(process.env.BENCH_SCIM_USERS ?? 10_000);
const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 100_000);
const PAGE = Number(process.env.BENCH_PAGE ?? 100);
const BASELINE_SAMPLES = 500;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summary(times: number[]): string {
  const sorted = [...times].sort((a, b) => a - b);
  const fmt = (n: number) => n.toFixed(1).padStart(7);
  return `p50 ${fmt(percentile(sorted, 50))} ms  p95 ${fmt(percentile(sorted, 95))} ms  max ${fmt(sorted[sorted.length - 1])} ms`;
}

async function main(): Promise<void> {
  const { config, database, url, drop } = await openBenchDatabase('attest_bench_scim', {
    AUTH_RATE_LIMIT: '100000',
    TRUST_PROXY: '1',
  });
  try {
    const app = await createApp({ config, database, logDestination: new LogCapture() });
    await app.listen(0, '127.0.0.1');
    const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const { secret } = await app
      .get(ApiTokensService)
      .create('bench', { name: 'okta', role: 'scim' });
    let requests = 0;
    const call = async (method: string, path: string, body?: unknown) => {
      const address = `10.1.${Math.floor(requests++ / 2000) % 250}.1`;
      const res = await fetch(base + path, {
        method,
        headers: {
          authorization: `Bearer ${secret}`,
          'x-forwarded-for': address,
          ...(body ? { 'content-type': 'application/scim+json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      return {
        status: res.status,
        body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      };
    };
    const timed = async (method: string, path: string, expected: number, body?: unknown) => {
      const started = performance.now();
      const res = await call(method, path, body);
      const ms = performance.now() - started;
      if (res.status !== expected)
        throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
      return { ms, body: res.body };
    };

    const baseline: number[] = [];
    for (let i = 0; i < BASELINE_SAMPLES + 20; i++) {
      const { ms } = await timed('GET', '/scim/v2/ServiceProviderConfig', 200);
      if (i >= 20) baseline.push(ms);
    }

    console.log(
      `Provisioning ${USERS.toLocaleString('en-GB')} users as Okta does (lookup, then POST)…`,
    );
    const lookups: number[] = [];
    const posts: number[] = [];
    const provisioning = performance.now();
    for (let i = 0; i < USERS; i++) {
      const userName = `scim.user${i}@bench.example`;
      const filter = encodeURIComponent(`userName eq "${userName}"`);
      lookups.push(
        (await timed('GET', `/scim/v2/Users?filter=${filter}&startIndex=1&count=100`, 200)).ms,
      );
      const { ms } = await timed('POST', '/scim/v2/Users', 201, {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName,
        name: { givenName: 'Bench', familyName: `User ${i}` },
        emails: [{ primary: true, value: userName, type: 'work' }],
        displayName: `Bench User ${i}`,
        externalId: `00u${i}`,
        active: true,
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': {
          employeeNumber: `SCIM-${i}`,
          department: ['Engineering', 'Sales', 'Finance'][i % 3],
        },
        'urn:ietf:params:scim:schemas:extension:attest:2.0:User': {
          startDate: '2026-01-05',
          employmentType: i % 5 === 0 ? 'contractor' : 'employee',
          country: ['US', 'GB', 'DE', 'IN'][i % 4],
        },
      });
      posts.push(ms);
    }
    const provisionSeconds = (performance.now() - provisioning) / 1000;

    const db = new Client({ connectionString: url });
    await db.connect();
    const seeding = performance.now();
    const rest = Math.max(0, PEOPLE - USERS);
    await db.query(
      `insert into person (id, email, full_name, employee_number, department, job_title, employment_type, country, start_date, status, roles, field_sources, created_at, updated_at)
       select gen_random_uuid(), 'seeded' || i || '@bench.example', 'Seeded Person ' || i, 'SEED-' || i,
              (array['Engineering','Sales','Finance'])[1 + i % 3], 'Engineer', 'employee', 'US', date '2025-01-06',
              'active', '{employee}', '{}', now(), now()
       from generate_series(1, $1::int) i`,
      [rest],
    );
    await db.query('vacuum analyze person');
    await db.end();
    const seedSeconds = (performance.now() - seeding) / 1000;

    const pages: number[] = [];
    let listed = 0;
    let total = Infinity;
    const listing = performance.now();
    for (let start = 1; start <= total; start += PAGE) {
      const { ms, body } = await timed(
        'GET',
        `/scim/v2/Users?startIndex=${start}&count=${PAGE}`,
        200,
      );
      pages.push(ms);
      total = body.totalResults as number;
      listed += (body.Resources as unknown[]).length;
    }
    const listSeconds = (performance.now() - listing) / 1000;

    console.log('');
    console.log(
      `Baseline GET /scim/v2/ServiceProviderConfig (${BASELINE_SAMPLES})   ${summary(baseline)}`,
    );
    console.log(`Okta lookup GET /Users?filter=userName eq (${USERS})      ${summary(lookups)}`);
    console.log(`Okta create POST /Users (${USERS})                        ${summary(posts)}`);
    console.log(
      `Provisioned ${USERS.toLocaleString('en-GB')} users in ${provisionSeconds.toFixed(1)} s: ${(USERS / provisionSeconds).toFixed(0)} users/s (lookup + create)`,
    );
    console.log(
      `Seeded ${rest.toLocaleString('en-GB')} more people directly in ${seedSeconds.toFixed(1)} s`,
    );
    console.log(
      `List page GET /Users?count=${PAGE} at ${total.toLocaleString('en-GB')} people (${pages.length}) ${summary(pages)}`,
    );
    console.log(
      `  first page ${pages[0].toFixed(1)} ms, last page ${pages[pages.length - 1].toFixed(1)} ms; all ${listed.toLocaleString('en-GB')} Users listed in ${listSeconds.toFixed(1)} s`,
    );
    await app.close();
  } finally {
    await drop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
