// SCIM 2.0 Users (RFC 7644) over real HTTP on the test database: errors as SCIM Error
// resources (§3.12) with nothing written, adoption of imported people, the binding that keeps
// a CSV import off a provisioned person's email, and one person for concurrent creates.
import request from 'supertest';
import { ApiTokensService } from '../../src/api-tokens/api-tokens.service';
import { PeopleImportService } from '../../src/people/import/people-import.service';
import { peopleCsv, personRow } from '../factories/people-csv.factory';
import {
  ATTEST,
  ENTERPRISE,
  PATCH_OP,
  SCIM,
  SCIM_ERROR as ERROR,
  scimHarness,
} from '../helpers/scim-harness';
import { createTestApp, type TestApp } from '../helpers/test-app';

describe('SCIM /scim/v2/Users: errors, convergence, concurrency', () => {
  let t: TestApp;
  let token: string;

  const { send, query, personRowOf, events, oktaUser, create } = scimHarness(
    () => t,
    () => token,
  );

  const personRowOfEmail = async (email: string) =>
    (
      await query<{ scim_user_name: string | null }>(
        'select scim_user_name from person where email = $1',
        [email],
      )
    )[0];

  beforeAll(async () => {
    t = await createTestApp();
    token = (await t.app.get(ApiTokensService).create('test', { name: 'okta', role: 'scim' }))
      .secret;
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('errors', () => {
    const expectError = (res: request.Response, status: number, scimType?: string) => {
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
      expect(res.body).toMatchObject({
        schemas: [ERROR],
        status: String(status),
        ...(scimType ? { scimType } : {}),
      });
      expect(typeof res.body.detail).toBe('string');
    };

    it('409 uniqueness for an existing userName, whatever its case', async () => {
      const user = await create(oktaUser());
      const again = oktaUser({ userName: String(user.userName).toUpperCase() });
      expectError(await send('post', '/scim/v2/Users', again), 409, 'uniqueness');
    });

    it('400 invalidSyntax for malformed JSON, 415 for another media type, 413 over 1 MiB, nothing written', async () => {
      const before = await query<{ n: string }>('select count(*) as n from person');
      const malformed = await request(t.server)
        .post('/scim/v2/Users')
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', SCIM)
        .send('{"userName": "x@corp.example",');
      expectError(malformed, 400, 'invalidSyntax');
      const text = await request(t.server)
        .post('/scim/v2/Users')
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', 'text/plain')
        .send('userName=x');
      expectError(text, 415);
      const huge = await request(t.server)
        .post('/scim/v2/Users')
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', SCIM)
        .send(JSON.stringify({ ...oktaUser(), padding: 'x'.repeat(10 * 1024 * 1024) }));
      expectError(huge, 413);
      expect(await query<{ n: string }>('select count(*) as n from person')).toEqual(before);
    });

    it('400 invalidFilter for a filter that does not parse or names an unsupported attribute', async () => {
      expectError(
        await send('get', `/scim/v2/Users?filter=${encodeURIComponent('userName eq')}`),
        400,
        'invalidFilter',
      );
      expectError(
        await send('get', `/scim/v2/Users?filter=${encodeURIComponent('nickName eq "x"')}`),
        400,
        'invalidFilter',
      );
    });

    it('400 invalidFilter, never 500, for filters the database would refuse', async () => {
      const cases: Array<[string, string, RegExp]> = [
        ['Users', 'meta.created gt "2020-02-30"', /real date and time/],
        ['Users', 'meta.lastModified ge "2020-13-01T00:00:00Z"', /real date and time/],
        ['Users', 'meta.created gt "2020-01-01T25:00:00Z"', /real date and time/],
        ['Groups', 'meta.created lt "2020-02-30T10:00:00Z"', /real date and time/],
      ];
      for (const [resource, filter, words] of cases) {
        const res = await send('get', `/scim/v2/${resource}?filter=${encodeURIComponent(filter)}`);
        expectError(res, 400, 'invalidFilter');
        expect(res.body.detail).toMatch(words);
      }
      const valid = await send(
        'get',
        `/scim/v2/Users?filter=${encodeURIComponent('meta.created gt "2020-02-29T10:00:00+01:00"')}`,
      );
      expect(valid.status).toBe(200);
    });

    it('answers members pr and members ne on Groups', async () => {
      const user = await create(oktaUser());
      const withMember = await send('post', '/scim/v2/Groups', {
        displayName: 'filter-with-member',
        members: [{ value: user.id }],
      });
      const empty = await send('post', '/scim/v2/Groups', { displayName: 'filter-empty' });
      const ids = async (filter: string) => {
        const res = await send('get', `/scim/v2/Groups?filter=${encodeURIComponent(filter)}`);
        expect(res.status).toBe(200);
        return (res.body.Resources as Array<{ id: string }>).map((g) => g.id);
      };
      expect(await ids('members pr')).toContain(withMember.body.id);
      expect(await ids('members pr')).not.toContain(empty.body.id);
      expect(await ids(`members ne "${user.id}"`)).toEqual(expect.arrayContaining([empty.body.id]));
      expect(await ids(`members ne "${user.id}"`)).not.toContain(withMember.body.id);
      expect(await ids(`members.value ne "not-a-uuid"`)).toContain(withMember.body.id);
    });

    it('400 invalidValue for a userName over 320 or an externalId over 255 characters', async () => {
      const long = `${'a'.repeat(310)}@corp.example`;
      const userName = await send('post', '/scim/v2/Users', oktaUser({ userName: long }));
      expectError(userName, 400, 'invalidValue');
      expect(userName.body.detail).toMatch(/"userName" is at most 320/);
      const externalId = await send(
        'post',
        '/scim/v2/Users',
        oktaUser({ externalId: 'x'.repeat(256) }),
      );
      expectError(externalId, 400, 'invalidValue');
      expect(externalId.body.detail).toMatch(/"externalId" is at most 255/);
      const group = await send('post', '/scim/v2/Groups', {
        displayName: 'long-external-id',
        externalId: 'x'.repeat(256),
      });
      expectError(group, 400, 'invalidValue');
    });

    it('400 invalidValue for a bad field, naming it, and nothing written (one transaction)', async () => {
      const user = await create(oktaUser());
      const res = await send('patch', `/scim/v2/Users/${user.id}`, {
        schemas: [PATCH_OP],
        Operations: [
          { op: 'replace', path: 'title', value: 'Changed' },
          { op: 'replace', path: `${ATTEST}:country`, value: 'UK' },
        ],
      });
      expectError(res, 400, 'invalidValue');
      expect(res.body.detail).toMatch(/country/);
      expect((await personRowOf(user.id)).field_sources).not.toHaveProperty('job_title');
      expect(await events('person.updated', user.id)).toEqual([]);
    });

    it('ignores attributes it does not keep (RFC 7644 §3.3), and refuses a PATCH without the PatchOp schema', async () => {
      const res = await send(
        'post',
        '/scim/v2/Users',
        oktaUser({ nickName: 'Liv', phoneNumbers: [{ value: '+1 555' }] }),
      );
      expect(res.status).toBe(201);
      expect(res.body).not.toHaveProperty('nickName');
      expectError(
        await send('patch', `/scim/v2/Users/${res.body.id}`, {
          Operations: [{ op: 'replace', value: { active: false } }],
        }),
        400,
        'invalidSyntax',
      );
    });

    it('404 for an unknown or malformed id', async () => {
      expectError(await send('get', '/scim/v2/Users/00000000-0000-4000-8000-000000000000'), 404);
      expectError(await send('get', '/scim/v2/Users/not-a-uuid'), 404);
    });

    it('answers an endpoint Attest does not serve (Bulk, RFC 7644 §3.7) as a SCIM error', async () => {
      expectError(await send('post', '/scim/v2/Bulk', { Operations: [] }), 404);
      expectError(await send('get', '/scim/v2/Me'), 404);
    });

    it('refuses other API tokens and browser sessions as SCIM errors', async () => {
      const auditor = (
        await t.app.get(ApiTokensService).create('test', { name: 'audit-tool', role: 'auditor' })
      ).secret;
      const asAuditor = await request(t.server)
        .get('/scim/v2/Users')
        .set('Authorization', `Bearer ${auditor}`);
      expectError(asAuditor, 403);
      const noToken = await request(t.server)
        .get('/scim/v2/Users')
        .set('Cookie', 'attest_session=forged');
      expectError(noToken, 401);
    });
  });

  describe('convergence with the CSV import', () => {
    it('adopts an imported person by employee number, then email, instead of creating a duplicate', async () => {
      const byNumber = personRow({ employee_number: 'IMP-1', email: 'imported.one@corp.example' });
      const byEmail = personRow({ employee_number: 'IMP-2', email: 'imported.two@corp.example' });
      const outcome = await t.app
        .get(PeopleImportService)
        .import('cli', peopleCsv([byNumber, byEmail]));
      expect(outcome).toMatchObject({ ok: true, created: 2 });
      const [one] = await query<{ id: string }>(
        "select id from person where employee_number = 'IMP-1'",
      );
      const adopted = await send(
        'post',
        '/scim/v2/Users',
        oktaUser({
          userName: 'imp.one@idp.example',
          emails: [{ value: 'imported.one@corp.example', primary: true }],
          [ENTERPRISE]: { employeeNumber: 'IMP-1', department: 'Legal' },
        }),
      );
      expect(adopted.status).toBe(201);
      expect(adopted.body.id).toBe(one.id);
      const two = await send(
        'post',
        '/scim/v2/Users',
        oktaUser({
          userName: 'imported.two@corp.example',
          emails: [{ value: 'imported.two@corp.example', primary: true }],
        }),
      );
      expect(two.status).toBe(201);
      expect(
        await query('select id from person where email in ($1, $2)', [
          byNumber.email,
          byEmail.email,
        ]),
      ).toHaveLength(2);
      const row = await personRowOf(one.id);
      expect(row).toMatchObject({ scim_user_name: 'imp.one@idp.example', department: 'Legal' });
      expect(row.field_sources.department).toMatchObject({ source: 'scim' });
      expect(await events('person.scim_bound', one.id)).toHaveLength(1);
    });

    it('refuses (409) to adopt by email a person HR recorded under another employee number', async () => {
      const row = personRow({ employee_number: 'IMP-5', email: 'imported.five@corp.example' });
      await t.app.get(PeopleImportService).import('cli', peopleCsv([row]));
      const res = await send(
        'post',
        '/scim/v2/Users',
        oktaUser({
          userName: row.email,
          emails: [{ value: row.email, primary: true }],
          [ENTERPRISE]: { employeeNumber: 'OTHER-5' },
        }),
      );
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ scimType: 'uniqueness' });
      expect(await personRowOfEmail(row.email)).toMatchObject({ scim_user_name: null });
    });

    it('a SCIM-bound person’s email cannot be moved by a CSV import', async () => {
      const row = personRow({ employee_number: 'IMP-3', email: 'imported.three@corp.example' });
      await t.app.get(PeopleImportService).import('cli', peopleCsv([row]));
      await create(
        oktaUser({
          userName: row.email,
          emails: [{ value: row.email, primary: true }],
          [ENTERPRISE]: { employeeNumber: 'IMP-3' },
        }),
      );
      const moved = await t.app
        .get(PeopleImportService)
        .import('cli', peopleCsv([{ ...row, email: 'moved.three@corp.example' }]));
      expect(moved.ok).toBe(false);
      expect(JSON.stringify(moved)).toMatch(/identity provider/);
    });
  });

  describe('concurrency', () => {
    it('two simultaneous creates of one userName give one person and one 409', async () => {
      const body = oktaUser();
      const answers = await Promise.all([
        send('post', '/scim/v2/Users', body),
        send('post', '/scim/v2/Users', body),
        send('post', '/scim/v2/Users', body),
      ]);
      expect(answers.map((a) => a.status).sort((a, b) => a - b)).toEqual([201, 409, 409]);
      expect(
        await query('select id from person where lower(scim_user_name) = lower($1)', [
          body.userName,
        ]),
      ).toHaveLength(1);
    });
  });
});
