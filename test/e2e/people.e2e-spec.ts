import request from 'supertest';
import { MAX_FILE_BYTES } from '../../src/people/import/people-csv.parser';
import { peopleCsv, personRow } from '../factories/people-csv.factory';
import { csrfTokenIn, unescapeHtml } from '../helpers/html-forms';
import { importProblems } from '../helpers/people-import';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { signIn, testIdpEnv } from '../helpers/test-idp';

describe('people: HR import and edit pages', () => {
  let t: TestApp;
  let hr: string[];
  let employee: string[];
  let hrToken: string;

  beforeAll(async () => {
    t = await createTestApp({ env: await testIdpEnv() });
    const sp = { acsUrl: t.config.saml.acsUrl, spEntityId: t.config.saml.spEntityId };
    hr = [await signIn(t.server, sp, { email: 'hana.hr@corp.example', groups: ['attest-hr'] })];
    employee = [await signIn(t.server, sp, { email: 'emil@corp.example', groups: ['all-staff'] })];
    const page = await get('/people/import', hr).expect(200);
    hrToken = csrfTokenIn(page.text);
  });

  afterAll(async () => {
    await t?.close();
  });

  function get(url: string, cookies: string[]) {
    return request(t.server).get(url).set('Cookie', cookies).set('Accept', 'text/html');
  }

  function upload(file: Buffer, cookies = hr, token: string | null = hrToken) {
    const req = request(t.server)
      .post('/people/import')
      .set('Cookie', cookies)
      .set('Accept', 'text/html');
    if (token !== null) void req.field('_csrf', token);
    return req.attach('file', file, { filename: 'people.csv', contentType: 'text/csv' });
  }

  const imported = () =>
    t.db.query<{ id: string; email: string }>(
      "select id, email from person where employee_number like 'W-%' order by employee_number",
    );

  const lead = personRow({ employee_number: 'W-1', email: 'lead@corp.example', country: 'GB' });
  const team = [
    lead,
    personRow({ employee_number: 'W-2', manager_email: lead.email, country: 'US' }),
    personRow({ employee_number: 'W-3', manager_email: lead.email, country: 'IN' }),
  ];

  it('refuses the import page and the upload to an employee', async () => {
    await get('/people/import', employee).expect(403);
    await get('/people', employee).expect(403);
    const res = await upload(peopleCsv(team), employee, null);
    expect(res.status).toBe(403);
    expect(await imported()).toEqual([]);
  });

  it('refuses an upload without the form’s CSRF token', async () => {
    const res = await upload(peopleCsv(team), hr, null);
    expect(res.status).toBe(403);
    expect(res.text).toContain('did not come from Attest');
    expect(await imported()).toEqual([]);
  });

  it('lists every problem of a bad file with its line and column, and writes nothing', async () => {
    const bad = [team[0], { ...team[1], country: 'UK' }, { ...team[2], start_date: '2026-02-30' }];
    const res = await upload(peopleCsv(bad));
    expect(res.status).toBe(422);
    expect(importProblems(res.text)).toEqual([
      ['3', 'country', expect.stringContaining('United Kingdom is GB')],
      ['4', 'start_date', expect.stringContaining('YYYY-MM-DD')],
    ]);
    expect(await imported()).toEqual([]);
  });

  it('says plainly that a file over 5 MB is too large', async () => {
    const res = await upload(Buffer.alloc(MAX_FILE_BYTES + 1, 'a'));
    expect(res.status).toBe(413);
    expect(res.text).toContain('larger than 5 MB');
  });

  it('asks for a file when none was chosen', async () => {
    const res = await request(t.server)
      .post('/people/import')
      .set('Cookie', hr)
      .set('Accept', 'text/html')
      .field('_csrf', hrToken);
    expect(res.status).toBe(400);
    expect(res.text).toContain('Choose a CSV file to import.');
  });

  it('imports a good file and shows the counts; the same file again changes nothing', async () => {
    const first = await upload(peopleCsv(team)).expect(200);
    expect(first.text).toContain('data-testid="import-created">3<');
    expect(await imported()).toHaveLength(3);
    const again = await upload(peopleCsv(team)).expect(200);
    expect(again.text).toContain('data-testid="import-unchanged">3<');
  });

  it('lists people with filters and shows one person', async () => {
    const list = await get('/people?country=IN&status=active', hr).expect(200);
    expect(list.text).toContain(team[2].full_name);
    expect(list.text).not.toContain(team[0].full_name);
    const [person] = (await imported()).filter((p) => p.email === team[2].email);
    const page = await get(`/people/${person.id}`, hr).expect(200);
    expect(page.text).toContain('India (IN)');
    // Each HR field says where its value came from last: here, the import.
    expect(page.text).toMatch(
      /India \(IN\)<span class="fact-source">From the people import, \d+ \w{3} \d{4}</,
    );
    await get('/people/not-a-uuid', hr).expect(404);
    await get('/people/00000000-0000-4000-8000-000000000000', hr).expect(404);
  });

  /** The edit form's fields for a team member, moved to Washington State. */
  const editedFields = (member: (typeof team)[number]) => ({
    full_name: member.full_name,
    employee_number: member.employee_number,
    department: member.department,
    job_title: member.job_title,
    manager_email: member.manager_email,
    employment_type: 'employee',
    country: 'US',
    region: 'WA',
    start_date: member.start_date,
    end_date: '',
    status: 'active',
  });

  it('edits a person: wrong fields are shown and nothing is saved, then a fix is audited', async () => {
    const [person] = (await imported()).filter((p) => p.email === team[1].email);
    const form = await get(`/people/${person.id}/edit`, hr).expect(200);
    const token = csrfTokenIn(form.text);
    const fields = { ...editedFields(team[1]), department: 'Platform' };
    const post = (body: Record<string, string>) =>
      request(t.server)
        .post(`/people/${person.id}`)
        .set('Cookie', hr)
        .set('Accept', 'text/html')
        .type('form')
        .send({ _csrf: token, ...body });

    const wrong = await post({ ...fields, country: 'XX', manager_email: 'ghost@corp.example' });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('id="person-country-error"');
    expect(unescapeHtml(wrong.text)).toContain('Nobody with the email "ghost@corp.example"');
    const [unchanged] = await t.db.query<{ department: string }>(
      'select department from person where id = $1',
      [person.id],
    );
    expect(unchanged.department).toBe(team[1].department);

    const saved = await post(fields);
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(`/people/${person.id}`);
    const events = await t.db.query<{ actor_id: string; details: Record<string, unknown> }>(
      "select actor_id, details from audit_event where action = 'person.updated' and subject_id = $1",
      [person.id],
    );
    const [hrPerson] = await t.db.query<{ id: string }>(
      "select id from person where email = 'hana.hr@corp.example'",
    );
    expect(events).toEqual([
      {
        actor_id: hrPerson.id,
        details: { source: 'edit', changedFields: ['department', 'region'] },
      },
    ]);
    // The edited fields now name HR's edit as their source; the untouched ones, the import.
    const [row] = await t.db.query<{ field_sources: Record<string, { source: string }> }>(
      'select field_sources from person where id = $1',
      [person.id],
    );
    expect(row.field_sources.department.source).toBe('edit');
    expect(row.field_sources.region.source).toBe('edit');
    expect(row.field_sources.country.source).toBe('csv');
    const page = await get(`/people/${person.id}`, hr).expect(200);
    expect(page.text).toContain('Platform<span class="fact-source">Edited by HR, ');
  });

  it('refuses an employee number another person holds, beside the field, and writes nothing', async () => {
    const [person] = (await imported()).filter((p) => p.email === team[1].email);
    const row = () =>
      t.db.query('select * from person where id = $1', [person.id]).then(([r]) => r);
    const updates = () =>
      t.db.query(
        "select seq from audit_event where action = 'person.updated' and subject_id = $1",
        [person.id],
      );
    const [before, updatesBefore] = [await row(), await updates()];
    const form = await get(`/people/${person.id}/edit`, hr).expect(200);

    const res = await request(t.server)
      .post(`/people/${person.id}`)
      .set('Cookie', hr)
      .set('Accept', 'text/html')
      .type('form')
      .send({
        _csrf: csrfTokenIn(form.text),
        ...editedFields(team[1]),
        // W-3 is the third person of the team.
        employee_number: team[2].employee_number,
      });

    expect(res.status).toBe(422);
    const beside =
      /<span class="form-error" id="person-employee-number-error">([^<]*)<\/span>/.exec(res.text);
    expect(unescapeHtml(beside?.[1] ?? '')).toBe('belongs to another person.');
    expect(res.text).toMatch(
      /<a href="#person-employee-number">Employee number<\/a>: belongs to another person\./,
    );
    // The form keeps what was typed, and nothing was written.
    expect(res.text).toContain(`value="${team[2].employee_number}"`);
    expect(await row()).toEqual(before);
    expect(await updates()).toEqual(updatesBefore);
  });
});
