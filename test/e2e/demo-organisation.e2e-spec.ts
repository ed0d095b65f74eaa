import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import type { App } from 'supertest/types';
import { createApp } from '../../src/app.bootstrap';
import { AttestationVerificationService } from '../../src/attestations/attestation-verification.service';
import { demoPersonas } from '../../src/auth/demo-idp/demo-personas';
import { loadConfig } from '../../src/config/config.loader';
import { formPostingTo } from '../helpers/html-forms';
import { LogCapture } from '../helpers/log-capture';
import { TEST_SECRETS } from '../helpers/test-app';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';
import { cookieHeader, sessionCookieOf } from '../helpers/test-idp';

const START_TIMEOUT_MS = 240_000;
const today = () => new Date().toISOString().slice(0, 10);
const persona = (id: string) => demoPersonas().find((p) => p.id === id)!;

interface Started {
  app: NestExpressApplication;
  server: App;
  logs: LogCapture;
  close(): Promise<void>;
}

/** The app as `npm start` builds it, on `db`, with these settings (development by default). */
async function start(db: TestDatabase, env: Record<string, string> = {}): Promise<Started> {
  const dataDir = mkdtempSync(join(tmpdir(), 'attest-demo-'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'info', ...TEST_SECRETS, ...env });
  const logs = new LogCapture();
  const app = await createApp({ config, database: db, logDestination: logs });
  return {
    app,
    server: app.getHttpServer() as App,
    logs,
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function count(db: TestDatabase, sql: string, params?: unknown[]): Promise<number> {
  const [row] = await db.query<{ n: string }>(sql, params);
  return Number(row.n);
}

/** Everything a start can write about people and their evidence, to compare two starts. */
async function footprint(db: TestDatabase) {
  const tables = [
    'person',
    'requirement_assignment',
    'requirement_completion',
    'signature',
    'attestation',
    'background_check',
    'esign_consent',
  ];
  const counts: Record<string, number> = {};
  for (const table of tables) counts[table] = await count(db, `select count(*) as n from ${table}`);
  return counts;
}

describe('the demo organisation on a first development start', () => {
  let db: TestDatabase;
  let first: Started;

  beforeAll(async () => {
    db = await createTestDatabase();
    first = await start(db, { NODE_ENV: 'development' });
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await first?.close();
    await db?.close();
  });

  it('has about 40 people, the personas among them', async () => {
    const people = await count(db, 'select count(*) as n from person');
    expect(people).toBeGreaterThanOrEqual(35);
    expect(people).toBeLessThanOrEqual(50);
    const emails = demoPersonas().map((p) => p.email);
    expect(
      await count(db, 'select count(*) as n from person where email = any($1)', [emails]),
    ).toBe(emails.length);
  });

  it('shows a realistic mix: done, open and overdue work, pre-start and leavers', async () => {
    const rows = await db.query<{ status: string; n: string }>(
      'select status, count(*) as n from requirement_assignment group by status',
    );
    const by = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
    const total = Object.values(by).reduce((a, b) => a + b, 0);
    expect(by.done / total).toBeGreaterThan(0.5);
    expect(by.overdue).toBeGreaterThan(0);
    expect(by.overdue / total).toBeLessThan(0.25);
    expect((by.not_started ?? 0) + (by.in_progress ?? 0)).toBeGreaterThan(0);
    const statuses = await db.query<{ status: string }>('select distinct status from person');
    expect(statuses.map((s) => s.status).sort()).toEqual(['active', 'pre_start', 'terminated']);
  });

  it('has no overdue item years late: recurring training was done in its earlier cycles', async () => {
    const [{ days }] = await db.query<{ days: number }>(
      `select coalesce(max(current_date - due_date), 0) as days from requirement_assignment a
         join person p on p.id = a.person_id
        where a.status = 'overdue' and p.email like '%@demo.attest.test'
          and a.kind <> 'background_check'`,
    );
    expect(Number(days)).toBeLessThan(400);
  });

  it('stores the contractor persona as a contractor, and keeps them one after sign-in', async () => {
    const contractor = persona('contractor');
    const employment = async () =>
      (
        await db.query<{ employment_type: string }>(
          'select employment_type from person where email = $1',
          [contractor.email],
        )
      )[0]?.employment_type;
    expect(await employment()).toBe('contractor');

    const login = await request(first.server).get('/auth/saml/login?returnTo=%2Fme').expect(302);
    const cookies = cookieHeader(login).filter((c) => c.startsWith('attest_login='));
    const idp = new URL(login.headers.location as string);
    const page = await request(first.server)
      .get(`${idp.pathname}${idp.search}`)
      .set('Cookie', cookies)
      .expect(200);
    const form = formPostingTo(page.text, '/demo-idp/sso');
    const answer = await request(first.server)
      .post(form.action)
      .set('Cookie', cookies)
      .type('form')
      .send({ ...form.hidden, persona: 'contractor' })
      .expect(200);
    const post = formPostingTo(answer.text, new URL('/auth/saml/acs', idp).toString());
    const acs = await request(first.server)
      .post('/auth/saml/acs')
      .set('Cookie', cookies)
      .type('form')
      .send(post.hidden);
    expect(acs.status).toBe(303);
    expect(sessionCookieOf(acs)).toBeDefined();
    expect(await employment()).toBe('contractor');
    // Contractors are asked for the contractor NDA, never the employee agreements.
    const rules = await db.query<{ requirement_id: string }>(
      `select a.requirement_id from requirement_assignment a join person p on p.id = a.person_id
        where p.email = $1`,
      [contractor.email],
    );
    expect(rules.map((r) => r.requirement_id)).toContain('contractor-nda');
    expect(rules.map((r) => r.requirement_id)).not.toContain('employee-nda');
  });

  it('has the new hire start today with nothing done; the other personas mostly done', async () => {
    const rows = await db.query<{
      email: string;
      start_date: string;
      done: string;
      total: string;
      signatures: string;
    }>(
      `select p.email, to_char(p.start_date, 'YYYY-MM-DD') as start_date,
              count(*) filter (where a.status = 'done' and a.kind <> 'background_check') as done,
              count(*) filter (where a.kind <> 'background_check') as total,
              (select count(*) from signature s where s.person_id = p.id) as signatures
         from person p join requirement_assignment a on a.person_id = p.id
        where p.email = any($1) group by p.id`,
      [demoPersonas().map((p) => p.email)],
    );
    const of = (id: string) => rows.find((r) => r.email === persona(id).email)!;
    expect(of('new-hire')).toMatchObject({ start_date: today(), done: '0', signatures: '0' });
    // HR had the new hire screened before the first day: nothing red on day one.
    const screening = await db.query<{ status: string }>(
      `select b.status from background_check b join person p on p.id = b.person_id
        where p.email = $1`,
      [persona('new-hire').email],
    );
    expect(screening.map((c) => c.status)).toEqual(['clear', 'clear']);
    for (const id of ['hr-manager', 'auditor', 'admin', 'engineer-de', 'finance-gb']) {
      const row = of(id);
      expect(Number(row.done) / Number(row.total)).toBeGreaterThanOrEqual(0.6);
      expect(Number(row.signatures)).toBeGreaterThan(0);
    }
  });

  it('has some background checks in progress and clear ones for what is done', async () => {
    const rows = await db.query<{ status: string; n: string }>(
      'select status, count(*) as n from background_check group by status',
    );
    const by = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
    expect(by.in_progress).toBeGreaterThan(0);
    expect(by.clear).toBeGreaterThan(by.in_progress);
  });

  it('gives every signature a sealed PDF that verifies', async () => {
    const signatures = await count(db, 'select count(*) as n from signature');
    expect(signatures).toBeGreaterThan(50);
    expect(
      await count(
        db,
        `select count(*) as n from signature s
          where not exists (select 1 from attestation a where a.signature_id = s.id)`,
      ),
    ).toBe(0);
    const pdfs = await db.query<{ pdf: Buffer }>(
      `select pdf from attestation order by created_at desc limit 3`,
    );
    const verifier = first.app.get(AttestationVerificationService);
    for (const { pdf } of pdfs) {
      expect(await verifier.verifyFile(Buffer.from(pdf))).toEqual(
        expect.objectContaining({ valid: true }),
      );
    }
  });

  it('says so in one log line that names no one', () => {
    const lines = first.logs.entries().filter((e) => String(e.msg).startsWith('demo organisation'));
    expect(lines).toHaveLength(1);
    expect(lines[0].msg).toMatch(/^demo organisation created: \d+ people/);
    for (const p of demoPersonas()) {
      expect(first.logs.text).not.toContain(p.email);
      expect(first.logs.text).not.toContain(p.displayName);
    }
  });

  it(
    'adds nothing on a second start',
    async () => {
      const before = await footprint(db);
      await first.close();
      first = await start(db, { NODE_ENV: 'development' });
      expect(await footprint(db)).toEqual(before);
      expect(first.logs.text).not.toContain('demo organisation created');
    },
    START_TIMEOUT_MS,
  );
});

describe('no demo organisation unless asked', () => {
  it.each([
    ['development with DEMO_DATA=false', { NODE_ENV: 'development', DEMO_DATA: 'false' }],
    ['test', { NODE_ENV: 'test' }],
  ])(
    'creates nobody in %s',
    async (_name, env) => {
      const db = await createTestDatabase();
      const app = await start(db, env);
      try {
        expect(await count(db, 'select count(*) as n from person')).toBe(0);
        expect(app.logs.text).not.toContain('demo organisation');
      } finally {
        await app.close();
        await db.close();
      }
    },
    START_TIMEOUT_MS,
  );
});
