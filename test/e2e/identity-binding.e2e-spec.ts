import request from 'supertest';
import { peopleCsv, personRow } from '../factories/people-csv.factory';
import { csrfTokenIn } from '../helpers/html-forms';
import { importProblems, uploadPeopleCsv } from '../helpers/people-import';
import { createTestApp, type TestApp } from '../helpers/test-app';
import {
  type PersonaClaims,
  postAcs,
  sessionCookieOf,
  signIn,
  startLogin,
  TEST_IDP,
  testIdpEnv,
  testIdpResponse,
} from '../helpers/test-idp';

const PERSISTENT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent';

describe('identity binding: a person who has signed in keeps their IdP identity', () => {
  let t: TestApp;
  let hr: string[];
  const sp = () => ({ acsUrl: t.config.saml.acsUrl, spEntityId: t.config.saml.spEntityId });

  const ALICE = personRow({ email: 'alice@corp.example', employee_number: 'B-1' });
  const BOB = personRow({ email: 'bob@corp.example', employee_number: 'B-2' });

  beforeAll(async () => {
    t = await createTestApp({ env: await testIdpEnv() });
    hr = [await signIn(t.server, sp(), { email: 'hana@corp.example', groups: ['attest-hr'] })];
    const res = await upload(peopleCsv([ALICE, BOB]));
    if (res.status !== 200) throw new Error(`the setup import answered ${res.status}`);
  });

  afterAll(async () => {
    await t?.close();
  });

  /** Signs in through the ACS with a persistent NameID; returns the response. */
  async function attempt(claims: PersonaClaims, nameId: string) {
    const login = await startLogin(t.server);
    const built = await testIdpResponse(sp().acsUrl, sp().spEntityId, login.requestId, claims, {
      nameId,
      nameIdFormat: PERSISTENT,
    });
    return postAcs(t.server, login.cookies, built.base64);
  }

  const upload = (file: Buffer) => uploadPeopleCsv(t.server, hr, file);

  const person = async (employeeNumber: string) =>
    (
      await t.db.query<{
        id: string;
        email: string;
        saml_issuer: string | null;
        saml_name_id: string | null;
      }>('select id, email, saml_issuer, saml_name_id from person where employee_number = $1', [
        employeeNumber,
      ])
    )[0];

  const lastRefusal = async () =>
    (
      await t.db.query<{ actor_id: string | null; details: Record<string, unknown> }>(
        "select actor_id, details from audit_event where action = 'auth.login_failed' order by seq desc limit 1",
      )
    )[0];

  it('binds the issuer and NameID to the person at sign-in', async () => {
    expect((await attempt({ email: ALICE.email }, 'pid-alice')).status).toBe(303);
    expect((await attempt({ email: BOB.email }, 'pid-bob')).status).toBe(303);
    expect(await person('B-1')).toMatchObject({
      email: ALICE.email,
      saml_issuer: TEST_IDP.entityId,
      saml_name_id: 'pid-alice',
    });
  });

  it('refuses an import row that changes a bound email, naming its line and column', async () => {
    const moved = { ...BOB, email: 'bob.new@corp.example' };
    const res = await upload(peopleCsv([ALICE, moved]));
    expect(res.status).toBe(422);
    expect(importProblems(res.text)).toEqual([
      ['3', 'email', expect.stringContaining('identity provider')],
    ]);
    expect((await person('B-2')).email).toBe(BOB.email);
  });

  it('refuses moving one signed-in person’s email away so another can take it', async () => {
    const res = await upload(peopleCsv([{ ...ALICE, email: 'alice.old@corp.example' }]));
    expect(res.status).toBe(422);
    expect(importProblems(res.text)).toEqual([
      ['2', 'email', expect.stringContaining('identity provider')],
    ]);
    expect((await person('B-1')).email).toBe(ALICE.email);
  });

  it('refuses an import row that moves one person’s email onto another, naming its line and column', async () => {
    const CAROL = personRow({ email: 'carol@corp.example', employee_number: 'B-3' });
    const DAN = personRow({ email: 'dan@corp.example', employee_number: 'B-4' });
    expect((await upload(peopleCsv([CAROL, DAN]))).status).toBe(200);
    const carolAndDan = () =>
      t.db.query(
        "select * from person where employee_number in ('B-3', 'B-4') order by employee_number",
      );
    const before = await carolAndDan();

    // Dan's row (found by his employee number) with Carol's email: neither has signed in.
    const moved = await upload(peopleCsv([ALICE, { ...DAN, email: CAROL.email }]));
    expect(moved.status).toBe(422);
    expect(importProblems(moved.text)).toEqual([
      ['3', 'email', `"${CAROL.email}" belongs to another person in Attest (employee number B-3).`],
    ]);

    // Nor by swapping them in one file: each row is checked against who holds the email now.
    const swapped = await upload(
      peopleCsv([
        { ...CAROL, email: DAN.email },
        { ...DAN, email: CAROL.email },
      ]),
    );
    expect(swapped.status).toBe(422);
    expect(importProblems(swapped.text).map(([line, column]) => [line, column])).toEqual([
      ['2', 'email'],
      ['3', 'email'],
    ]);
    expect(await carolAndDan()).toEqual(before);
  });

  it('refuses a sign-in whose identity is bound to another record than its email selects', async () => {
    const alice = await person('B-1');
    const bob = await person('B-2');
    // As a database edit from before the binding would have left it: Alice's email on Bob.
    await t.db.query("update person set email = 'alice.old@corp.example' where id = $1", [
      alice.id,
    ]);
    await t.db.query('update person set email = $1 where id = $2', [ALICE.email, bob.id]);

    const res = await attempt({ email: ALICE.email }, 'pid-alice');
    expect(res.status).toBe(401);
    expect(sessionCookieOf(res)).toBeUndefined();
    expect(await lastRefusal()).toEqual({
      actor_id: null,
      details: { reason: 'identity_mismatch', method: 'saml', boundTo: alice.id, emailOf: bob.id },
    });
    // The binding did not move.
    expect(await person('B-2')).toMatchObject({ saml_name_id: 'pid-bob' });
    expect(await person('B-1')).toMatchObject({ saml_name_id: 'pid-alice' });

    await t.db.query('update person set email = $1 where id = $2', [BOB.email, bob.id]);
    await t.db.query('update person set email = $1 where id = $2', [ALICE.email, alice.id]);
  });

  it('refuses a new IdP identity claiming the email of a person bound to another', async () => {
    const bob = await person('B-2');
    const res = await attempt({ email: BOB.email }, 'pid-mallory');
    expect(res.status).toBe(401);
    expect(await lastRefusal()).toEqual({
      actor_id: null,
      details: { reason: 'identity_mismatch', method: 'saml', boundTo: null, emailOf: bob.id },
    });
    expect(await person('B-2')).toMatchObject({ saml_name_id: 'pid-bob' });
  });

  it('ends a bound person’s sessions when HR changes their employee number', async () => {
    const res = await attempt({ email: BOB.email }, 'pid-bob');
    const session = [sessionCookieOf(res)!];
    await request(t.server).get('/me').set('Cookie', session).expect(200);
    const bob = await person('B-2');
    const form = await request(t.server).get(`/people/${bob.id}/edit`).set('Cookie', hr);
    const saved = await request(t.server)
      .post(`/people/${bob.id}`)
      .set('Cookie', hr)
      .type('form')
      .send({
        _csrf: csrfTokenIn(form.text),
        full_name: BOB.full_name,
        employee_number: 'B-20',
        department: BOB.department,
        job_title: BOB.job_title,
        manager_email: '',
        employment_type: BOB.employment_type,
        country: BOB.country,
        region: BOB.region,
        start_date: BOB.start_date,
        end_date: '',
        status: BOB.status,
      });
    expect(saved.status).toBe(303);
    await request(t.server)
      .get('/me')
      .set('Cookie', session)
      .set('Accept', 'text/html')
      .expect(302);
    const reasons = await t.db.query<{ ended_reason: string | null }>(
      'select ended_reason from session where person_id = $1',
      [bob.id],
    );
    expect(reasons.map((r) => r.ended_reason)).not.toContain(null);
    expect(reasons.map((r) => r.ended_reason)).toContain('identity_changed');
  });

  it('follows the IdP when it renames a bound identity, and ends the old sessions', async () => {
    const before = await attempt({ email: ALICE.email }, 'pid-alice');
    const old = [sessionCookieOf(before)!];
    await request(t.server).get('/me').set('Cookie', old).expect(200);
    const renamed = await attempt({ email: 'alice.renamed@corp.example' }, 'pid-alice');
    expect(renamed.status).toBe(303);
    expect(await person('B-1')).toMatchObject({
      email: 'alice.renamed@corp.example',
      saml_name_id: 'pid-alice',
    });
    await request(t.server).get('/me').set('Cookie', old).set('Accept', 'text/html').expect(302);
    const me = await request(t.server)
      .get('/me')
      .set('Cookie', [sessionCookieOf(renamed)!])
      .expect(200);
    expect(me.text).toContain('alice.renamed@corp.example');
  });

  it('refuses a second record with the same issuer and NameID in the database itself', async () => {
    const insert = () =>
      t.db.query(
        `insert into person (id, email, full_name, roles, saml_issuer, saml_name_id, created_at, updated_at)
         values (gen_random_uuid(), $1, 'Copy', '{employee}', $2, 'pid-alice', now(), now())`,
        [`copy.${Math.random()}@corp.example`, TEST_IDP.entityId],
      );
    await expect(insert()).rejects.toThrow(/person_saml_identity_unique/);
    // Without an issuer and NameID, any number of people may exist.
    await t.db.query(
      `insert into person (id, email, full_name, roles, created_at, updated_at)
       values (gen_random_uuid(), 'unbound.one@corp.example', 'One', '{employee}', now(), now()),
              (gen_random_uuid(), 'unbound.two@corp.example', 'Two', '{employee}', now(), now())`,
    );
  });
});
