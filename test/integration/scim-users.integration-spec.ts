// SCIM 2.0 Users (RFC 7643, RFC 7644) over real HTTP on the test database: the requests exactly
// as Okta and Microsoft Entra ID send them, filters, paging, PUT, DELETE and requirements.
// Errors, adoption and concurrency: scim-users-errors.integration-spec.ts.
import request from 'supertest';
import { ApiTokensService } from '../../src/api-tokens/api-tokens.service';
import {
  ATTEST,
  CORE_USER as CORE,
  ENTERPRISE,
  PATCH_OP,
  scimHarness,
} from '../helpers/scim-harness';
import { createTestApp, type TestApp } from '../helpers/test-app';

describe('SCIM /scim/v2/Users', () => {
  let t: TestApp;
  let token: string;

  const { send, query, personRowOf, events, oktaUser, create } = scimHarness(
    () => t,
    () => token,
  );

  beforeAll(async () => {
    t = await createTestApp();
    token = (await t.app.get(ApiTokensService).create('test', { name: 'okta', role: 'scim' }))
      .secret;
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('create and read', () => {
    it('creates a person from Okta’s POST and answers 201 with the User as application/scim+json', async () => {
      const body = oktaUser({
        [ENTERPRISE]: { employeeNumber: 'OK-1', department: 'Engineering', costCenter: 'C1' },
        [ATTEST]: {
          startDate: '2026-01-05',
          employmentType: 'contractor',
          country: 'de',
          region: 'Bavaria',
        },
      });
      const res = await send('post', '/scim/v2/Users', body);
      expect(res.status).toBe(201);
      expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
      expect(res.body).toMatchObject({
        schemas: [CORE, ENTERPRISE, ATTEST],
        userName: body.userName,
        externalId: body.externalId,
        active: true,
        displayName: body.displayName,
        emails: [{ value: body.userName, primary: true }],
        [ENTERPRISE]: { employeeNumber: 'OK-1', department: 'Engineering' },
        [ATTEST]: {
          startDate: '2026-01-05',
          employmentType: 'contractor',
          country: 'DE',
          region: 'Bavaria',
        },
        meta: { resourceType: 'User', location: `/scim/v2/Users/${res.body.id}` },
      });
      expect(res.headers.location).toBe(`/scim/v2/Users/${res.body.id as string}`);
      expect(res.body).not.toHaveProperty('password');
      const row = await personRowOf(res.body.id as string);
      expect(row).toMatchObject({
        email: body.userName,
        full_name: body.displayName,
        scim_user_name: body.userName,
        scim_external_id: body.externalId,
        employee_number: 'OK-1',
        country: 'DE',
        status: 'active',
      });
      expect(row.field_sources).toMatchObject({
        email: { source: 'scim' },
        department: { source: 'scim' },
        country: { source: 'scim' },
      });
      const [created] = await events('person.created', res.body.id as string);
      expect(created.actor_id).toBe('scim:okta');
      // Ids and field names only: no email, name or department in the log.
      expect(JSON.stringify(created.details)).not.toMatch(/corp\.example|Olive|Engineering/);
    });

    it('answers Okta’s userName lookup before a create, with startIndex and count', async () => {
      const user = await create(oktaUser());
      const url = `/scim/v2/Users?filter=${encodeURIComponent(`userName eq "${String(user.userName).toUpperCase()}"`)}&startIndex=1&count=100`;
      const res = await send('get', url);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
      expect(res.body).toMatchObject({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
        totalResults: 1,
        startIndex: 1,
        itemsPerPage: 1,
        Resources: [{ id: user.id }],
      });
      const none = await send(
        'get',
        `/scim/v2/Users?filter=${encodeURIComponent('userName eq "nobody@corp.example"')}&startIndex=1&count=100`,
      );
      expect(none.body).toMatchObject({ totalResults: 0, Resources: [] });
    });

    it('filters on externalId, emails, Entra’s emails[type eq "work"].value, and and/or', async () => {
      const a = await create(oktaUser());
      const b = await create(oktaUser());
      const ids = async (filter: string) => {
        const res = await send('get', `/scim/v2/Users?filter=${encodeURIComponent(filter)}`);
        expect(res.status).toBe(200);
        return (res.body.Resources as Array<{ id: string }>).map((r) => r.id).sort();
      };
      expect(await ids(`externalId eq "${String(a.externalId)}"`)).toEqual([a.id]);
      expect(await ids(`emails.value eq "${String(b.userName)}"`)).toEqual([b.id]);
      expect(await ids(`emails[type eq "work"].value eq "${String(a.userName)}"`)).toEqual([a.id]);
      expect(await ids(`emails[type eq "home"].value eq "${String(a.userName)}"`)).toEqual([]);
      // LIKE wildcards in a value are literal: "_" matches no other character.
      expect(await ids(`userName co "${String(a.userName)}"`)).toEqual([a.id]);
      expect(await ids(`userName sw "${String(a.userName).replace('.', '_')}"`)).toEqual([]);
      expect(
        await ids(`userName eq "${String(a.userName)}" or externalId eq "${String(b.externalId)}"`),
      ).toEqual([a.id, b.id].sort());
      expect(
        await ids(
          `userName eq "${String(a.userName)}" and externalId eq "${String(b.externalId)}"`,
        ),
      ).toEqual([]);
    });

    it('pages with startIndex and count, and projects attributes and excludedAttributes', async () => {
      for (let i = 0; i < 3; i++) await create(oktaUser());
      const all = await send('get', '/scim/v2/Users?count=1000');
      const total = all.body.totalResults as number;
      expect(total).toBeGreaterThanOrEqual(3);
      const page = await send('get', `/scim/v2/Users?startIndex=2&count=2&attributes=userName`);
      expect(page.body).toMatchObject({ totalResults: total, startIndex: 2, itemsPerPage: 2 });
      expect(page.body.Resources[0].id).toBe(all.body.Resources[1].id);
      expect(Object.keys(page.body.Resources[0] as object).sort()).toEqual([
        'id',
        'schemas',
        'userName',
      ]);
      const lean = await send(
        'get',
        `/scim/v2/Users/${all.body.Resources[0].id}?excludedAttributes=emails,${ENTERPRISE}:department`,
      );
      expect(lean.body).not.toHaveProperty('emails');
      expect(lean.body).toHaveProperty('userName');
    });
  });

  describe('provider quirks', () => {
    it('Okta: PATCH replace without a path, active false, terminates and offboards', async () => {
      const user = await create(oktaUser());
      const res = await send('patch', `/scim/v2/Users/${user.id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', value: { active: false } }],
      });
      expect(res.status).toBe(200);
      expect(res.body.active).toBe(false);
      const row = await personRowOf(user.id);
      expect(row.status).toBe('terminated');
      expect(row.deprovisioned_at).not.toBeNull();
      expect(row.field_sources.status).toMatchObject({ source: 'scim' });
      expect(await events('person.deprovisioned', user.id)).toEqual([
        expect.objectContaining({ actor_id: 'scim:okta' }),
      ]);
    });

    it('Entra ID: "Replace" of active with the string "False", then "True" reactivates', async () => {
      const user = await create(oktaUser());
      const off = await send('patch', `/scim/v2/Users/${user.id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
      });
      expect(off.status).toBe(200);
      expect((await personRowOf(user.id)).status).toBe('terminated');
      const on = await send('patch', `/scim/v2/Users/${user.id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'Replace', path: 'active', value: 'True' }],
      });
      expect(on.body.active).toBe(true);
      const row = await personRowOf(user.id);
      expect(row.status).toBe('active');
      expect(row.deprovisioned_at).toBeNull();
      expect(await events('person.reactivated', user.id)).toHaveLength(1);
    });

    it('Entra ID: manager by enterprise URN path, name.givenName, and emails[type eq "work"].value', async () => {
      const manager = await create(oktaUser());
      const user = await create(
        oktaUser({ name: { givenName: 'Eve', familyName: 'Entra' }, displayName: undefined }),
      );
      const res = await send('patch', `/scim/v2/Users/${user.id}`, {
        schemas: [PATCH_OP],
        Operations: [
          { op: 'Replace', path: `${ENTERPRISE}:manager`, value: manager.id },
          { op: 'Replace', path: 'name.givenName', value: 'Evelyn' },
          {
            op: 'Replace',
            path: 'emails[type eq "work"].value',
            value: 'evelyn.entra@corp.example',
          },
          { op: 'Add', path: `${ENTERPRISE}:department`, value: 'Finance' },
          { op: 'Add', path: 'title', value: 'Analyst' },
        ],
      });
      expect(res.status).toBe(200);
      expect(res.body[ENTERPRISE]).toMatchObject({
        manager: { value: manager.id },
        department: 'Finance',
      });
      const row = await personRowOf(user.id);
      expect(row).toMatchObject({
        manager_email: String(manager.userName),
        full_name: 'Evelyn Entra',
        email: 'evelyn.entra@corp.example',
        department: 'Finance',
      });
      // The email is the identity: it changed, so the change is audited by field name.
      const [updated] = await events('person.updated', user.id);
      expect(updated.details.changedFields).toEqual(
        expect.arrayContaining(['email', 'full_name', 'department', 'manager_email']),
      );
    });

    it('ignores a manager id that names nobody (IdPs provision in no set order)', async () => {
      const user = await create(oktaUser());
      const res = await send('patch', `/scim/v2/Users/${user.id}`, {
        schemas: [PATCH_OP],
        Operations: [
          {
            op: 'replace',
            path: `${ENTERPRISE}:manager`,
            value: '00000000-0000-4000-8000-000000000000',
          },
        ],
      });
      expect(res.status).toBe(200);
      expect((await personRowOf(user.id)).manager_email).toBeNull();
    });

    it('accepts application/json as well, and answers application/scim+json', async () => {
      const res = await request(t.server)
        .post('/scim/v2/Users')
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(oktaUser()));
      expect(res.status).toBe(201);
      expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
    });
  });

  describe('requirements', () => {
    it('derives a provisioned person’s requirements, and again when SCIM changes their employment type', async () => {
      const rules = async (id: string) =>
        (
          await query<{ requirement_id: string }>(
            "select requirement_id from requirement_assignment where person_id = $1 and status <> 'not_required'",
            [id],
          )
        ).map((r) => r.requirement_id);
      const user = await create(
        oktaUser({ [ATTEST]: { employmentType: 'contractor', country: 'GB' } }),
      );
      expect(await rules(user.id)).toContain('contractor-nda');
      expect(await rules(user.id)).not.toContain('employee-nda');
      await send('patch', `/scim/v2/Users/${user.id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'Replace', path: `${ATTEST}:employmentType`, value: 'employee' }],
      });
      expect(await rules(user.id)).toContain('employee-nda');
    });
  });

  describe('PUT and DELETE', () => {
    it('PUT replaces what it gives and keeps what it leaves out (RFC 7644 §3.5.1)', async () => {
      const user = await create(oktaUser({ [ENTERPRISE]: { department: 'Sales' } }));
      const res = await send('put', `/scim/v2/Users/${user.id}`, {
        ...oktaUser(),
        userName: user.userName,
        externalId: user.externalId,
        emails: [{ value: user.userName, primary: true }],
        // Okta's PUT carries the whole profile: the name changed, its displayName as before.
        displayName: user.displayName,
        name: { givenName: 'Renamed', familyName: 'Person' },
        title: 'Lead',
      });
      expect(res.status).toBe(200);
      expect(await personRowOf(user.id)).toMatchObject({
        full_name: 'Renamed Person',
        department: 'Sales',
      });
    });

    it('DELETE deactivates (204), keeps the record, and offboards', async () => {
      const user = await create(oktaUser());
      const res = await send('delete', `/scim/v2/Users/${user.id}`);
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expect((await personRowOf(user.id)).status).toBe('terminated');
      const read = await send('get', `/scim/v2/Users/${user.id}`);
      expect(read.body.active).toBe(false);
    });
  });
});
