import request from 'supertest';
import { type CsvRow, peopleCsv, personRow } from '../factories/people-csv.factory';
import { csrfTokenIn, unescapeHtml } from '../helpers/html-forms';
import { PERSONAS, signInAs, type SignedIn } from '../helpers/role-sessions';
import { importProblems, uploadPeopleCsv } from '../helpers/people-import';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { signIn, testIdpEnv } from '../helpers/test-idp';

describe('separation of duties on people’s HR fields', () => {
  let t: TestApp;
  let hana: string[];
  let hugo: string[];
  let admin: SignedIn;
  const sp = () => ({ acsUrl: t.config.saml.acsUrl, spEntityId: t.config.saml.spEntityId });

  const HANA = personRow({ email: 'hana@corp.example', employee_number: 'S-1' });
  const ADMIN_PERSONA = PERSONAS.find((p) => p.name === 'admin-with-totp')!;
  const ADMIN_ROW = personRow({
    email: ADMIN_PERSONA.signIn!.email,
    employee_number: 'S-9',
    full_name: ADMIN_PERSONA.name,
  });

  beforeAll(async () => {
    t = await createTestApp({ env: await testIdpEnv() });
    hana = [await signIn(t.server, sp(), { email: HANA.email, groups: ['attest-hr'] })];
    hugo = [await signIn(t.server, sp(), { email: 'hugo@corp.example', groups: ['attest-hr'] })];
    // Another HR person records Hana's HR fields (allowed), and the admin's before their first
    // sign-in makes them an admin.
    const setup = await upload(hugo, peopleCsv([HANA, ADMIN_ROW]));
    if (setup.status !== 200) throw new Error(`the setup import answered ${setup.status}`);
    admin = await signInAs(t, ADMIN_PERSONA);
  });

  afterAll(async () => {
    await t?.close();
  });

  const upload = (cookies: string[], file: Buffer) => uploadPeopleCsv(t.server, cookies, file);

  const personByNumber = async (employeeNumber: string) =>
    (
      await t.db.query<{ id: string; employment_type: string; status: string; country: string }>(
        'select id, employment_type, status, country from person where employee_number = $1',
        [employeeNumber],
      )
    )[0];

  const refusals = (subjectId: string) =>
    t.db.query<{ actor_id: string; details: Record<string, unknown> }>(
      "select actor_id, details from audit_event where action = 'person.change_refused' and subject_id = $1 order by seq",
      [subjectId],
    );

  async function edit(cookies: string[], id: string, row: CsvRow) {
    const form = await request(t.server)
      .get(`/people/${id}/edit`)
      .set('Cookie', cookies)
      .expect(200);
    const { email: _email, ...fields } = row;
    return request(t.server)
      .post(`/people/${id}`)
      .set('Cookie', cookies)
      .set('Accept', 'text/html')
      .type('form')
      .send({ _csrf: csrfTokenIn(form.text), ...fields });
  }

  it('refuses HR changing their own employment type on the form, and keeps what was typed', async () => {
    const me = await personByNumber('S-1');
    const res = await edit(hana, me.id, { ...HANA, employment_type: 'contractor' });
    expect(res.status).toBe(422);
    const html = unescapeHtml(res.text);
    expect(html).toMatch(
      /Nothing was saved[\s\S]*Employment type<\/a>: You cannot change your own/,
    );
    expect(html).toMatch(
      /id="person-employment-type-error">You cannot change your own employment type/,
    );
    expect(html).toContain('<option value="contractor" selected>');
    expect((await personByNumber('S-1')).employment_type).toBe('employee');
    expect(await refusals(me.id)).toEqual([
      {
        actor_id: me.id,
        details: { source: 'edit', reason: 'own_record', fields: ['employment_type'] },
      },
    ]);
  });

  it('lets HR change their own job title, which decides no requirement', async () => {
    const me = await personByNumber('S-1');
    const res = await edit(hana, me.id, { ...HANA, job_title: 'Head of People' });
    expect(res.status).toBe(303);
  });

  it('refuses an import row about the importer that changes their country', async () => {
    const me = await personByNumber('S-1');
    const res = await upload(
      hana,
      peopleCsv([{ ...HANA, job_title: 'Head of People', country: 'DE', region: '' }]),
    );
    expect(res.status).toBe(422);
    expect(importProblems(res.text)).toEqual([
      ['2', 'country', expect.stringContaining('You cannot change your own country')],
      ['2', 'region', expect.stringContaining('You cannot change your own region')],
    ]);
    expect((await personByNumber('S-1')).country).toBe(HANA.country);
    expect(await refusals(me.id)).toContainEqual({
      actor_id: me.id,
      details: { source: 'import', reason: 'own_record', fields: ['country', 'region'], line: 2 },
    });
  });

  it('refuses HR terminating an admin, and lets an admin do it', async () => {
    const target = await personByNumber('S-9');
    const terminated = { ...ADMIN_ROW, status: 'terminated', end_date: '2026-06-30' };
    const res = await edit(hugo, target.id, terminated);
    expect(res.status).toBe(422);
    expect(unescapeHtml(res.text)).toMatch(
      /id="person-status-error">Only an admin can change an admin’s record/,
    );
    expect((await personByNumber('S-9')).status).toBe('active');
    expect(await refusals(target.id)).toEqual([
      {
        actor_id: expect.any(String),
        details: { source: 'edit', reason: 'admin_record', fields: ['end_date', 'status'] },
      },
    ]);

    const byImport = await upload(hugo, peopleCsv([terminated]));
    expect(byImport.status).toBe(422);
    expect(importProblems(byImport.text)).toEqual([
      ['2', 'end_date', expect.stringContaining('Only an admin')],
      ['2', 'status', expect.stringContaining('Only an admin')],
    ]);
    expect((await personByNumber('S-9')).status).toBe('active');

    // An admin may change another admin's record; here a second admin's, imported by Hugo.
    const other = personRow({ email: 'adam.admin@corp.example', employee_number: 'S-8' });
    await signIn(t.server, sp(), { email: other.email, groups: ['attest-admins'] });
    expect((await upload(hugo, peopleCsv([other]))).status).toBe(422);
    expect((await upload(admin.cookies, peopleCsv([other]))).status).toBe(200);
    const adam = await personByNumber('S-8');
    const done = await edit(admin.cookies, adam.id, {
      ...other,
      status: 'terminated',
      end_date: '2026-06-30',
    });
    expect(done.status).toBe(303);
    expect((await personByNumber('S-8')).status).toBe('terminated');
  });
});

describe('bidirectional control characters in people’s fields', () => {
  let t: TestApp;
  let hr: string[];
  const sp = () => ({ acsUrl: t.config.saml.acsUrl, spEntityId: t.config.saml.spEntityId });
  const RLO = '\u202E';
  const FSI = '\u2068';

  beforeAll(async () => {
    t = await createTestApp({ env: await testIdpEnv() });
    hr = [await signIn(t.server, sp(), { email: 'hana@corp.example', groups: ['attest-hr'] })];
  });

  afterAll(async () => {
    await t?.close();
  });

  async function hrToken(): Promise<string> {
    const page = await request(t.server).get('/people/import').set('Cookie', hr).expect(200);
    return csrfTokenIn(page.text);
  }

  function upload(file: Buffer, token: string) {
    return request(t.server)
      .post('/people/import')
      .set('Cookie', hr)
      .set('Accept', 'text/html')
      .field('_csrf', token)
      .attach('file', file, { filename: 'people.csv', contentType: 'text/csv' });
  }

  it('refuses them in an import, naming the line, the column and the field', async () => {
    const rows = [
      personRow({ full_name: `Eve ${RLO}fdp.exe` }),
      personRow({ job_title: `Engineer${FSI}` }),
    ];
    const res = await upload(peopleCsv(rows), await hrToken());
    expect(res.status).toBe(422);
    const html = unescapeHtml(res.text);
    expect(html).toContain('<td>2</td><td>full_name</td><td>The full name contains');
    expect(html).toContain('<td>3</td><td>job_title</td><td>The job title contains');
    expect(html).toContain('U+202E');
    const [{ count }] = await t.db.query<{ count: string }>(
      "select count(*) from person where email like 'person.%'",
    );
    expect(count).toBe('0');
  });

  it('refuses them on the edit form, beside the field', async () => {
    const row = personRow();
    expect((await upload(peopleCsv([row]), await hrToken())).status).toBe(200);
    const [person] = await t.db.query<{ id: string }>('select id from person where email = $1', [
      row.email,
    ]);
    const form = await request(t.server).get(`/people/${person.id}/edit`).set('Cookie', hr);
    const { email: _email, ...fields } = row;
    const res = await request(t.server)
      .post(`/people/${person.id}`)
      .set('Cookie', hr)
      .set('Accept', 'text/html')
      .type('form')
      .send({ _csrf: csrfTokenIn(form.text), ...fields, department: `${RLO}sesnepxE` });
    expect(res.status).toBe(422);
    expect(unescapeHtml(res.text)).toMatch(
      /id="person-department-error">The department contains an invisible text-direction character/,
    );
    const [saved] = await t.db.query<{ department: string }>(
      'select department from person where id = $1',
      [person.id],
    );
    expect(saved.department).toBe(row.department);
  });

  it('strips them from a name the IdP sends, and records that it did', async () => {
    await signIn(t.server, sp(), {
      email: 'mallory@corp.example',
      displayName: `Mallory ${RLO}nimda`,
      attributes: { department: `Sales${FSI}` },
    });
    const [person] = await t.db.query<{ id: string; full_name: string; department: string }>(
      "select id, full_name, department from person where email = 'mallory@corp.example'",
    );
    expect(person.full_name).toBe('Mallory nimda');
    expect(person.department).toBe('Sales');
    const events = await t.db.query<{ details: Record<string, unknown> }>(
      "select details from audit_event where action = 'auth.attributes_stripped' and subject_id = $1",
      [person.id],
    );
    expect(events).toEqual([
      { details: { reason: 'bidi_control', attributes: ['displayName', 'department'] } },
    ]);
  });

  it('isolates people’s names with <bdi> on the pages that show them', async () => {
    const [person] = await t.db.query<{ id: string; full_name: string }>(
      "select id, full_name from person where email = 'mallory@corp.example'",
    );
    const list = await request(t.server).get('/people').set('Cookie', hr).expect(200);
    expect(list.text).toContain(`<bdi>${person.full_name}</bdi>`);
    const show = await request(t.server).get(`/people/${person.id}`).set('Cookie', hr).expect(200);
    expect(show.text).toMatch(new RegExp(`<h1[^>]*><bdi>${person.full_name}</bdi></h1>`));
    const edit = await request(t.server)
      .get(`/people/${person.id}/edit`)
      .set('Cookie', hr)
      .expect(200);
    expect(edit.text).toContain(`Back to <bdi>${person.full_name}</bdi>`);
  });
});
