// SCIM 2.0 Groups and discovery (RFC 7643 §4.2, §5-7; RFC 7644 §4) over real HTTP: groups map to
// roles through ROLE_MAP, a change of roles ends the member's sessions, Entra ID's bulk member
// PATCH, and the discovery endpoints an IdP reads before provisioning.
import request from 'supertest';
import { ApiTokensService } from '../../src/api-tokens/api-tokens.service';
import { PERSONAS, signInAs } from '../helpers/role-sessions';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { testIdpEnv } from '../helpers/test-idp';

const SCIM = 'application/scim+json';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ATTEST = 'urn:ietf:params:scim:schemas:extension:attest:2.0:User';
const ENTRA_HR_GROUP = '4c5a3b52-7a6e-4c8e-9d3f-1e0b2a9c8d7e';

describe('SCIM /scim/v2/Groups and discovery', () => {
  let t: TestApp;
  let token: string;
  let seq = 0;

  const send = (
    method: 'post' | 'put' | 'patch' | 'delete' | 'get',
    path: string,
    body?: unknown,
  ) => {
    const req = request(t.server)[method](path).set('Authorization', `Bearer ${token}`);
    return body === undefined ? req : req.set('Content-Type', SCIM).send(JSON.stringify(body));
  };
  const rolesOf = async (id: string) =>
    (
      await t.db.query<{ roles: string[]; field_sources: Record<string, { source: string }> }>(
        'select roles, field_sources from person where id = $1',
        [id],
      )
    )[0];
  const newUser = async () => {
    seq++;
    const res = await send('post', '/scim/v2/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: `member${seq}@corp.example`,
      name: { givenName: 'Member', familyName: String(seq) },
      emails: [{ value: `member${seq}@corp.example`, type: 'work', primary: true }],
      active: true,
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const memberIds = (group: unknown) =>
    ((group as { members?: Array<{ value: string }> }).members ?? []).map((m) => m.value).sort();

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        ...(await testIdpEnv()),
        // Entra ID's groups claim and its SCIM externalId carry the group's object id.
        ROLE_MAP: `admin:attest-admins,hr:attest-hr,auditor:attest-auditors,hr:${ENTRA_HR_GROUP}`,
      },
    });
    token = (await t.app.get(ApiTokensService).create('test', { name: 'entra', role: 'scim' }))
      .secret;
  });

  afterAll(async () => {
    await t?.close();
  });

  it('a group named in ROLE_MAP gives its members the role, as set by scim, and ends their sessions', async () => {
    const emma = await signInAs(
      t,
      PERSONAS.find((p) => p.name === 'employee')!,
    );
    const before = await request(t.server)
      .get('/me')
      .set('Cookie', emma.cookies)
      .set('Accept', 'text/html');
    expect(before.status).toBe(200);
    const res = await send('post', '/scim/v2/Groups', {
      schemas: [GROUP],
      displayName: 'attest-hr',
      externalId: 'grp-hr',
      members: [{ value: emma.personId }],
    });
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
    expect(res.body).toMatchObject({
      schemas: [GROUP],
      displayName: 'attest-hr',
      externalId: 'grp-hr',
    });
    expect(memberIds(res.body)).toEqual([emma.personId]);
    const row = await rolesOf(emma.personId!);
    expect(row.roles).toEqual(['employee', 'hr']);
    expect(row.field_sources.roles).toMatchObject({ source: 'scim' });
    const after = await request(t.server)
      .get('/me')
      .set('Cookie', emma.cookies)
      .set('Accept', 'text/html');
    expect(after.status).toBe(302);
    const [ended] = await t.db.query<{ actor_id: string; details: { reason: string } }>(
      "select actor_id, details from audit_event where action = 'session.ended_all' and subject_id = $1",
      [emma.personId],
    );
    expect(ended).toMatchObject({ actor_id: 'scim:entra', details: { reason: 'roles_changed' } });
  });

  it('Entra ID: adds and removes many members in one PATCH, and the roles follow', async () => {
    const ids = [await newUser(), await newUser(), await newUser(), await newUser()];
    const created = await send('post', '/scim/v2/Groups', {
      schemas: [GROUP],
      displayName: 'attest-auditors',
      members: [],
    });
    const group = created.body.id as string;
    const add = await send('patch', `/scim/v2/Groups/${group}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Add', path: 'members', value: ids.map((value) => ({ value })) }],
    });
    expect(add.status).toBe(200);
    expect(memberIds(add.body)).toEqual([...ids].sort());
    for (const id of ids) expect((await rolesOf(id)).roles).toEqual(['auditor', 'employee']);
    const remove = await send('patch', `/scim/v2/Groups/${group}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Remove', path: 'members', value: [{ value: ids[0] }, { value: ids[1] }] },
      ],
    });
    expect(remove.status).toBe(200);
    expect(memberIds(remove.body)).toEqual([ids[2], ids[3]].sort());
    expect((await rolesOf(ids[0])).roles).toEqual(['employee']);
    // Okta removes one member by a value path.
    const okta = await send('patch', `/scim/v2/Groups/${group}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'remove', path: `members[value eq "${ids[2]}"]` }],
    });
    expect(memberIds(okta.body)).toEqual([ids[3]]);
    const [event] = await t.db.query<{ actor_id: string; details: Record<string, unknown> }>(
      "select actor_id, details from audit_event where action = 'scimGroup.updated' and subject_id = $1 order by seq limit 1",
      [group],
    );
    expect(event).toMatchObject({ actor_id: 'scim:entra', details: { added: 4, removed: 0 } });
  });

  it('filters on displayName, leaves members out on request, PUT replaces members, DELETE removes the roles', async () => {
    const a = await newUser();
    const b = await newUser();
    const created = await send('post', '/scim/v2/Groups', {
      schemas: [GROUP],
      displayName: 'attest-admins',
      members: [{ value: a }],
    });
    const id = created.body.id as string;
    expect((await rolesOf(a)).roles).toEqual(['admin', 'employee']);
    const found = await send(
      'get',
      `/scim/v2/Groups?filter=${encodeURIComponent('displayName eq "ATTEST-ADMINS"')}&excludedAttributes=members`,
    );
    expect(found.body).toMatchObject({
      totalResults: 1,
      Resources: [{ id, displayName: 'attest-admins' }],
    });
    expect(found.body.Resources[0]).not.toHaveProperty('members');
    const byMember = await send(
      'get',
      `/scim/v2/Groups?filter=${encodeURIComponent(`members.value eq "${a}"`)}`,
    );
    expect(byMember.body.Resources.map((g: { id: string }) => g.id)).toEqual([id]);
    const put = await send('put', `/scim/v2/Groups/${id}`, {
      schemas: [GROUP],
      displayName: 'attest-admins',
      members: [{ value: b }],
    });
    expect(put.status).toBe(200);
    expect(memberIds(put.body)).toEqual([b]);
    expect((await rolesOf(a)).roles).toEqual(['employee']);
    expect((await rolesOf(b)).roles).toEqual(['admin', 'employee']);
    expect((await send('delete', `/scim/v2/Groups/${id}`)).status).toBe(204);
    expect((await rolesOf(b)).roles).toEqual(['employee']);
    expect((await send('get', `/scim/v2/Groups/${id}`)).status).toBe(404);
  });

  it('refuses a duplicate name (409) and an unknown member (400), writing nothing', async () => {
    const a = await newUser();
    await send('post', '/scim/v2/Groups', { schemas: [GROUP], displayName: 'Engineering' });
    const duplicate = await send('post', '/scim/v2/Groups', {
      schemas: [GROUP],
      displayName: 'engineering',
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toMatchObject({
      schemas: [ERROR],
      status: '409',
      scimType: 'uniqueness',
    });
    const unknown = await send('post', '/scim/v2/Groups', {
      schemas: [GROUP],
      displayName: 'attest-hr-2',
      members: [{ value: a }, { value: '00000000-0000-4000-8000-000000000000' }],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({
      schemas: [ERROR],
      status: '400',
      scimType: 'invalidValue',
    });
    expect(
      await t.db.query("select id from scim_group where display_name = 'attest-hr-2'"),
    ).toEqual([]);
  });

  it('deprovisioning a signed-in person (Okta’s PATCH active false) ends their sessions', async () => {
    const auditor = await signInAs(
      t,
      PERSONAS.find((p) => p.name === 'auditor')!,
    );
    const res = await send('patch', `/scim/v2/Users/${auditor.personId}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
    expect(res.status).toBe(200);
    const after = await request(t.server)
      .get('/me')
      .set('Cookie', auditor.cookies)
      .set('Accept', 'text/html');
    expect(after.status).toBe(302);
    const [ended] = await t.db.query<{ actor_id: string; details: { reason: string } }>(
      "select actor_id, details from audit_event where action = 'session.ended_all' and subject_id = $1",
      [auditor.personId],
    );
    expect(ended).toMatchObject({ actor_id: 'scim:entra', details: { reason: 'deactivated' } });
  });

  describe('roles', () => {
    const groupEvents = (action: string, id: string) =>
      t.db.query<{ details: Record<string, unknown> }>(
        'select details from audit_event where action = $1 and subject_id = $2 order by seq',
        [action, id],
      );

    it('maps a group to roles by its externalId (Entra’s object id), whatever its name', async () => {
      const a = await newUser();
      const res = await send('post', '/scim/v2/Groups', {
        schemas: [GROUP],
        displayName: 'People Team',
        externalId: ENTRA_HR_GROUP,
        members: [{ value: a }],
      });
      expect(res.status).toBe(201);
      expect((await rolesOf(a)).roles).toEqual(['employee', 'hr']);
      // Renamed at the IdP: the id still maps, nobody's roles change.
      const renamed = await send('patch', `/scim/v2/Groups/${res.body.id as string}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', path: 'displayName', value: 'People & Culture' }],
      });
      expect(renamed.status).toBe(200);
      expect((await rolesOf(a)).roles).toEqual(['employee', 'hr']);
    });

    it('a group that maps to no role touches nobody’s roles, nor marks them set by scim', async () => {
      const hr = await signInAs(
        t,
        PERSONAS.find((p) => p.name === 'hr')!,
      );
      const before = await rolesOf(hr.personId!);
      expect(before.roles).toContain('hr');
      const created = await send('post', '/scim/v2/Groups', {
        schemas: [GROUP],
        displayName: 'all-staff',
        members: [{ value: hr.personId }],
      });
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      expect(await rolesOf(hr.personId!)).toEqual(before);
      const left = await send('patch', `/scim/v2/Groups/${id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'remove', path: `members[value eq "${hr.personId}"]` }],
      });
      expect(left.status).toBe(200);
      expect(await rolesOf(hr.personId!)).toEqual(before);
      expect(await groupEvents('scimGroup.updated', id)).toEqual([
        { details: expect.objectContaining({ joined: [], left: [hr.personId] }) },
      ]);
      expect(await groupEvents('scimGroup.created', id)).toEqual([
        { details: expect.objectContaining({ joined: [hr.personId] }) },
      ]);
      const still = await request(t.server)
        .get('/me')
        .set('Cookie', hr.cookies)
        .set('Accept', 'text/html');
      expect(still.status).toBe(200);
    });

    it('a rename that changes the role a group maps to recomputes its members, audited from/to', async () => {
      const a = await newUser();
      const created = await send('post', '/scim/v2/Groups', {
        schemas: [GROUP],
        displayName: 'admins-to-be',
        members: [{ value: a }],
      });
      const id = created.body.id as string;
      expect((await rolesOf(a)).roles).toEqual(['employee']);
      const renamed = await send('put', `/scim/v2/Groups/${id}`, {
        schemas: [GROUP],
        displayName: 'admins-to-be-2',
        members: [{ value: a }],
      });
      expect(renamed.status).toBe(200);
      const mapped = await send('patch', `/scim/v2/Groups/${id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', path: 'displayName', value: 'attest-admins' }],
      });
      expect(mapped.status).toBe(200);
      expect((await rolesOf(a)).roles).toEqual(['admin', 'employee']);
      const updates = await groupEvents('scimGroup.updated', id);
      expect(updates.at(-1)).toEqual({
        details: expect.objectContaining({
          changedFields: ['displayName'],
          from: { displayName: 'admins-to-be-2' },
          to: { displayName: 'attest-admins' },
          roles: { from: [], to: ['admin'] },
          joined: [],
          left: [],
        }),
      });
    });

    it('PUT without members leaves the group with none (RFC 7644 §3.5.1), and their roles go', async () => {
      const a = await newUser();
      const found = await send(
        'get',
        `/scim/v2/Groups?filter=${encodeURIComponent('displayName eq "attest-auditors"')}`,
      );
      const id = found.body.Resources[0].id as string;
      const first = await send('put', `/scim/v2/Groups/${id}`, {
        schemas: [GROUP],
        displayName: 'attest-auditors',
        members: [{ value: a }],
      });
      expect(memberIds(first.body)).toEqual([a]);
      expect((await rolesOf(a)).roles).toEqual(['auditor', 'employee']);
      const put = await send('put', `/scim/v2/Groups/${id}`, {
        schemas: [GROUP],
        displayName: 'attest-auditors',
      });
      expect(put.status).toBe(200);
      expect(memberIds(put.body)).toEqual([]);
      expect((await rolesOf(a)).roles).toEqual(['employee']);
      const [last] = (await groupEvents('scimGroup.updated', id)).slice(-1);
      expect((last.details.left as string[]).sort()).toContain(a);
    });
  });

  describe('discovery', () => {
    it('publishes ServiceProviderConfig, ResourceTypes and Schemas with the Attest extension', async () => {
      const config = await send('get', '/scim/v2/ServiceProviderConfig');
      expect(config.status).toBe(200);
      expect(config.headers['content-type']).toMatch(/^application\/scim\+json/);
      expect(config.body).toMatchObject({
        patch: { supported: true },
        filter: { supported: true },
        bulk: { supported: false },
      });
      const types = await send('get', '/scim/v2/ResourceTypes');
      expect(types.body.Resources.map((r: { id: string }) => r.id)).toEqual(['User', 'Group']);
      const schemas = await send('get', '/scim/v2/Schemas');
      const ids = schemas.body.Resources.map((s: { id: string }) => s.id);
      expect(ids).toEqual(
        expect.arrayContaining([
          ATTEST,
          GROUP,
          'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
        ]),
      );
      const attest = await send('get', `/scim/v2/Schemas/${ATTEST}`);
      expect(attest.body.attributes.map((a: { name: string }) => a.name)).toEqual([
        'startDate',
        'endDate',
        'employmentType',
        'country',
        'region',
      ]);
    });

    it('counts SCIM requests in their own rate-limit bucket, apart from sign-in', async () => {
      const count = async () =>
        (
          await t.db.query<{ hits: number }>(
            "select hits from rate_limit_counter where key like 'default:scim:%'",
          )
        )[0]?.hits ?? 0;
      const before = await count();
      await send('get', '/scim/v2/ServiceProviderConfig');
      expect(await count()).toBe(before + 1);
    });

    it('refuses a browser session and an auditor token, as SCIM errors', async () => {
      const hr = await signInAs(
        t,
        PERSONAS.find((p) => p.name === 'hr')!,
      );
      const session = await request(t.server)
        .get('/scim/v2/Groups')
        .set('Cookie', hr.cookies)
        .set('Accept', 'application/json');
      expect(session.status).toBe(401);
      expect(session.body).toMatchObject({ schemas: [ERROR], status: '401' });
      const auditor = (
        await t.app.get(ApiTokensService).create('test', { name: 'audit-tool', role: 'auditor' })
      ).secret;
      const asAuditor = await request(t.server)
        .get('/scim/v2/ServiceProviderConfig')
        .set('Authorization', `Bearer ${auditor}`);
      expect(asAuditor.status).toBe(403);
      expect(asAuditor.body).toMatchObject({ schemas: [ERROR], status: '403' });
    });
  });
});
