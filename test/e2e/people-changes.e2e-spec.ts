import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { runCli } from '../../src/cli/attest.cli';
import { loadConfig } from '../../src/config/config.loader';
import { type CsvRow, peopleCsv, personRow } from '../factories/people-csv.factory';
import { csrfTokenIn } from '../helpers/html-forms';
import { createTestApp, TEST_SECRETS, type TestApp } from '../helpers/test-app';
import { postAcs, signIn, startLogin, testIdpEnv, testIdpResponse } from '../helpers/test-idp';

describe('what follows HR changes to people', () => {
  let t: TestApp;
  let hr: string;
  const sp = () => ({ acsUrl: t.config.saml.acsUrl, spEntityId: t.config.saml.spEntityId });
  const ELI = { email: 'eli@corp.example', displayName: 'Eli Engineer' };

  beforeAll(async () => {
    t = await createTestApp({ env: await testIdpEnv() });
    hr = await signIn(t.server, sp(), { email: 'hana@corp.example', groups: ['attest-hr'] });
  });

  afterAll(async () => {
    await t?.close();
  });

  async function summaryOf(personId: string) {
    const [row] = await t.db.query<{ country: string | null; terminated: boolean }>(
      'select country, terminated from onboarding_summary where person_id = $1',
      [personId],
    );
    return row;
  }

  async function hrToken(): Promise<string> {
    const page = await request(t.server).get('/people/import').set('Cookie', [hr]).expect(200);
    return csrfTokenIn(page.text);
  }

  it('derives requirements for people an import creates', async () => {
    const row = personRow({ email: 'nora@corp.example', country: 'US' });
    const res = await request(t.server)
      .post('/people/import')
      .set('Cookie', [hr])
      .field('_csrf', await hrToken())
      .attach('file', peopleCsv([row]), { filename: 'people.csv', contentType: 'text/csv' });
    expect(res.status).toBe(200);
    const rows = await t.db.query<{ requirement_id: string }>(
      `select requirement_id from requirement_assignment a join person p on p.id = a.person_id
        where p.email = $1`,
      [row.email],
    );
    expect(rows.map((r) => r.requirement_id)).toEqual(
      expect.arrayContaining(['us-criminal-record', 'employee-nda']),
    );
  });

  it('downloads the people list and the background checks list as CSV', async () => {
    const people = await request(t.server)
      .get('/people?format=csv&country=US')
      .set('Cookie', [hr])
      .expect(200);
    expect(people.headers['content-type']).toMatch(/text\/csv/);
    const lines = people.text.trim().split('\r\n');
    expect(lines[0]).toBe(
      'email,full_name,employee_number,department,job_title,manager_email,employment_type,country,region,start_date,end_date,status',
    );
    expect(lines.some((l) => l.startsWith('nora@corp.example,'))).toBe(true);
    expect(lines.every((l, i) => i === 0 || l.includes(',US,'))).toBe(true);

    const [nora] = await t.db.query<{ id: string }>('select id from person where email = $1', [
      'nora@corp.example',
    ]);
    await t.db.query(
      `insert into background_check (id, person_id, type, jurisdiction, status, created_at, updated_at)
       values (gen_random_uuid(), $1, 'criminal_record', 'US', 'clear', now(), now())`,
      [nora.id],
    );
    const checks = await request(t.server)
      .get('/background-checks?format=csv')
      .set('Cookie', [hr])
      .expect(200);
    const rows = checks.text.trim().split('\r\n');
    expect(rows[0]).toBe('id,person,type,status,jurisdiction,updated_at');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain(',US,');
  });

  it('signs a person out everywhere when HR terminates them, and keeps them out', async () => {
    const eli = await signIn(t.server, sp(), ELI);
    await request(t.server).get('/me').set('Cookie', [eli]).expect(200);
    const [person] = await t.db.query<{ id: string }>('select id from person where email = $1', [
      ELI.email,
    ]);
    expect(await summaryOf(person.id)).toEqual({ country: null, terminated: false });
    const form = await request(t.server)
      .get(`/people/${person.id}/edit`)
      .set('Cookie', [hr])
      .expect(200);
    const res = await request(t.server)
      .post(`/people/${person.id}`)
      .set('Cookie', [hr])
      .type('form')
      .send({
        _csrf: csrfTokenIn(form.text),
        full_name: 'Eli Engineer',
        employee_number: 'E-ELI',
        department: 'Engineering',
        job_title: 'Engineer',
        manager_email: '',
        employment_type: 'employee',
        country: 'US',
        region: '',
        start_date: '2025-01-06',
        end_date: '2026-11-01',
        status: 'terminated',
      });
    expect(res.status).toBe(303);

    await request(t.server).get('/me').set('Cookie', [eli]).set('Accept', 'text/html').expect(302);
    const ended = await t.db.query<{ ended_reason: string }>(
      'select ended_reason from session where person_id = $1',
      [person.id],
    );
    expect(ended.map((s) => s.ended_reason)).toEqual(['deactivated']);

    // The overview follows: Eli's edit made him a US leaver, so only Nora counts for the US.
    const csv = await request(t.server)
      .get('/onboarding?format=csv&by=country')
      .set('Cookie', [hr])
      .expect(200);
    const us = csv.text.split('\r\n').find((line) => line.startsWith('US,'));
    expect(us?.split(',')[1]).toBe('1');
    // A leaver with nothing done has no open onboarding left, so no summary row either.
    expect(await summaryOf(person.id)).toBeUndefined();

    const login = await startLogin(t.server);
    const again = await testIdpResponse(sp().acsUrl, sp().spEntityId, login.requestId, ELI);
    const refused = await postAcs(t.server, login.cookies, again.base64);
    expect(refused.status).toBe(401);
  });

  it('signs people out when `attest import people` ends their employment or changes who they are, as the upload page does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'attest-cli-import-'));
    // The operator's shell: the same database as the app, a data directory of its own.
    const config = () =>
      loadConfig({
        NODE_ENV: 'test',
        DATA_DIR: join(dir, 'data'),
        DATABASE_URL: t.db.clientUrl,
        ...TEST_SECRETS,
      });
    let files = 0;
    const importByCli = async (rows: CsvRow[]) => {
      const file = join(dir, `people-${++files}.csv`);
      writeFileSync(file, peopleCsv(rows));
      const lines: string[] = [];
      const code = await runCli(['import', 'people', file], config, {
        out: (l) => lines.push(l),
        err: (l) => lines.push(l),
      });
      return { code, lines };
    };
    const ivy = personRow({ email: 'ivy@corp.example', country: 'US' });
    const jon = personRow({ email: 'jon@corp.example', country: 'US' });
    const endedReasons = (email: string) =>
      t.db
        .query<{ ended_reason: string | null }>(
          'select s.ended_reason from session s join person p on p.id = s.person_id where p.email = $1',
          [email],
        )
        .then((rows) => rows.map((r) => r.ended_reason));
    try {
      expect(await importByCli([ivy, jon])).toEqual({
        code: 0,
        lines: [expect.stringMatching(/: 2 created, 0 updated, 0 unchanged\.$/)],
      });
      // What the page's import derives follows from the command's too.
      const assigned = await t.db.query<{ requirement_id: string }>(
        `select requirement_id from requirement_assignment a join person p on p.id = a.person_id
          where p.email = $1`,
        [ivy.email],
      );
      expect(assigned.map((r) => r.requirement_id)).toContain('us-criminal-record');

      const sessions = [
        await signIn(t.server, sp(), { email: ivy.email }),
        await signIn(t.server, sp(), { email: jon.email }),
      ];
      // Jon's binding cleared, as the README says to after a change of IdP: his email is HR's
      // to change again, and he is still signed in.
      await t.db.query(
        'update person set saml_issuer = null, saml_name_id = null where email = $1',
        [jon.email],
      );
      const moved = 'jon.moved@corp.example';
      const changed = await importByCli([
        { ...ivy, status: 'terminated', end_date: '2026-11-30' },
        { ...jon, email: moved },
      ]);
      expect(changed.code).toBe(0);

      for (const session of sessions) {
        await request(t.server)
          .get('/me')
          .set('Cookie', [session])
          .set('Accept', 'text/html')
          .expect(302);
      }
      expect(await endedReasons(ivy.email)).toEqual(['deactivated']);
      expect(await endedReasons(moved)).toEqual(['identity_changed']);
      const events = await t.db.query<{ actor_id: string; details: { reason: string } }>(
        "select actor_id, details from audit_event where action = 'session.ended_all' order by seq desc limit 2",
      );
      expect(events.map((e) => [e.actor_id, e.details.reason])).toEqual(
        expect.arrayContaining([
          ['cli', 'deactivated'],
          ['cli', 'identity_changed'],
        ]),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
