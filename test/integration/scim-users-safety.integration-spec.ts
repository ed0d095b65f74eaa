// SCIM 2.0 Users (RFC 7644) over real HTTP on the test database: what the IdP may not do to
// people it did not provision. No email moved on adoption or PUT/PATCH (account takeover at the
// next sign-in), no reactivation of people HR terminated, never the last active admin
// deactivated, and leaving that completes on the IdP's retry.
import { ApiTokensService } from '../../src/api-tokens/api-tokens.service';
import { PeopleImportService } from '../../src/people/import/people-import.service';
import { peopleCsv, personRow } from '../factories/people-csv.factory';
import {
  ATTEST,
  ENTERPRISE,
  PATCH_OP,
  SCIM_ERROR as ERROR,
  scimHarness,
} from '../helpers/scim-harness';
import { createTestApp, type TestApp } from '../helpers/test-app';

describe('SCIM /scim/v2/Users: safety of people SCIM did not provision', () => {
  let t: TestApp;
  let token: string;

  const { send, query, personRowOf, events, oktaUser, create } = scimHarness(
    () => t,
    () => token,
  );

  /** People recorded by HR's CSV import; their ids. */
  const imported = async (...rows: ReturnType<typeof personRow>[]) => {
    const outcome = await t.app.get(PeopleImportService).import('cli', peopleCsv(rows));
    expect(outcome).toMatchObject({ ok: true });
    return Promise.all(
      rows.map(
        async (r) =>
          (await query<{ id: string }>('select id from person where email = $1', [r.email]))[0].id,
      ),
    );
  };
  const accessOf = async (id: string) =>
    (
      await query<{ status: string; deprovisioned_at: Date | null; access_ended_at: Date | null }>(
        'select status, deprovisioned_at, access_ended_at from person where id = $1',
        [id],
      )
    )[0];
  const expect409 = (res: { status: number; body: Record<string, unknown> }, words: RegExp) => {
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ schemas: [ERROR], status: '409' });
    expect(res.body.detail).toMatch(words);
  };

  beforeAll(async () => {
    t = await createTestApp();
    token = (await t.app.get(ApiTokensService).create('test', { name: 'okta', role: 'scim' }))
      .secret;
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('emails of people SCIM did not provision', () => {
    it('refuses (409) to adopt by employee number a person recorded under another email', async () => {
      const row = personRow({ email: 'victim.one@corp.example' });
      const [id] = await imported(row);
      const res = await send(
        'post',
        '/scim/v2/Users',
        oktaUser({
          userName: 'attacker.one@corp.example',
          emails: [{ value: 'attacker.one@corp.example', primary: true }],
          [ENTERPRISE]: { employeeNumber: row.employee_number },
        }),
      );
      expect409(res, /another email/);
      expect(res.body).toMatchObject({ scimType: 'uniqueness' });
      expect(await personRowOf(id)).toMatchObject({
        email: 'victim.one@corp.example',
        scim_user_name: null,
      });
      expect(await events('person.scim_bound', id)).toEqual([]);
    });

    it('adopts a person bound to a sign-in identity only under the same email', async () => {
      const row = personRow({ email: 'sso.bound@corp.example' });
      const [id] = await imported(row);
      await query(
        "update person set saml_issuer = 'https://idp.example', saml_name_id = 'sso-1' where id = $1",
        [id],
      );
      const moved = await send(
        'post',
        '/scim/v2/Users',
        oktaUser({
          userName: 'elsewhere@corp.example',
          [ENTERPRISE]: { employeeNumber: row.employee_number },
        }),
      );
      expect409(moved, /another email/);
      expect((await personRowOf(id)).email).toBe('sso.bound@corp.example');
      const same = await send(
        'post',
        '/scim/v2/Users',
        oktaUser({
          userName: row.email,
          emails: [{ value: row.email, primary: true }],
          [ENTERPRISE]: { employeeNumber: row.employee_number },
        }),
      );
      expect(same.status).toBe(201);
      expect(same.body.id).toBe(id);
      expect((await personRowOf(id)).scim_user_name).toBe(row.email);
    });

    it('refuses a PUT or PATCH that would move an unprovisioned person’s email, writing nothing', async () => {
      const row = personRow({ email: 'victim.two@corp.example' });
      const [id] = await imported(row);
      const put = await send('put', `/scim/v2/Users/${id}`, {
        ...oktaUser(),
        userName: 'attacker.two@corp.example',
        emails: [{ value: 'attacker.two@corp.example', primary: true }],
      });
      expect409(put, /not provisioned by SCIM/);
      const patch = await send('patch', `/scim/v2/Users/${id}`, {
        schemas: [PATCH_OP],
        Operations: [
          {
            op: 'replace',
            path: 'emails[type eq "work"].value',
            value: 'attacker.two@corp.example',
          },
        ],
      });
      expect409(patch, /not provisioned by SCIM/);
      const userName = await send('patch', `/scim/v2/Users/${id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', path: 'userName', value: 'attacker.two@corp.example' }],
      });
      expect409(userName, /not provisioned by SCIM/);
      expect(await personRowOf(id)).toMatchObject({
        email: 'victim.two@corp.example',
        scim_user_name: null,
        scim_external_id: null,
      });
      expect(await events('person.updated', id)).toEqual([]);
    });

    it('Okta: finds an imported person by userName, links them by PUT, then may rename them', async () => {
      const row = personRow({ email: 'linked.one@corp.example' });
      const [id] = await imported(row);
      const found = await send(
        'get',
        `/scim/v2/Users?filter=${encodeURIComponent(`userName eq "${row.email}"`)}`,
      );
      expect(found.body.Resources.map((r: { id: string }) => r.id)).toEqual([id]);
      const put = await send('put', `/scim/v2/Users/${id}`, {
        ...oktaUser(),
        userName: row.email,
        externalId: '00uLINKED1',
        emails: [{ value: row.email, primary: true }],
        displayName: row.full_name,
      });
      expect(put.status).toBe(200);
      expect(await personRowOf(id)).toMatchObject({
        email: row.email,
        scim_user_name: row.email,
        scim_external_id: '00uLINKED1',
      });
      // Bound now: the IdP's directory is their record, and renames them.
      const renamed = await send('patch', `/scim/v2/Users/${id}`, {
        schemas: [PATCH_OP],
        Operations: [
          {
            op: 'replace',
            value: {
              userName: 'linked.renamed@corp.example',
              emails: [{ value: 'linked.renamed@corp.example', primary: true }],
            },
          },
        ],
      });
      expect(renamed.status).toBe(200);
      expect(await personRowOf(id)).toMatchObject({
        email: 'linked.renamed@corp.example',
        scim_user_name: 'linked.renamed@corp.example',
      });
    });
  });

  describe('reactivation', () => {
    it('ignores active:true for a person HR terminated, and audits that it was ignored', async () => {
      const row = personRow({ email: 'hr.left@corp.example', status: 'terminated' });
      const [id] = await imported(row);
      expect((await accessOf(id)).access_ended_at).not.toBeNull();
      const res = await send('put', `/scim/v2/Users/${id}`, {
        ...oktaUser(),
        userName: row.email,
        emails: [{ value: row.email, primary: true }],
        active: true,
      });
      expect(res.status).toBe(200);
      expect(res.body.active).toBe(false);
      const after = await accessOf(id);
      expect(after.status).toBe('terminated');
      expect(after.access_ended_at).not.toBeNull();
      expect(await events('person.reactivated', id)).toEqual([]);
      expect(await events('person.reactivation_ignored', id)).toEqual([
        expect.objectContaining({
          actor_id: 'scim:okta',
          details: expect.objectContaining({ reason: 'not_deprovisioned_by_scim' }),
        }),
      ]);
    });

    it('ignores active:true once HR has terminated a person again after SCIM deprovisioned them', async () => {
      const row = personRow({ email: 'stale.deprovisioned@corp.example' });
      const user = await create(
        oktaUser({
          userName: row.email,
          emails: [{ value: row.email, primary: true }],
          [ENTERPRISE]: { employeeNumber: row.employee_number },
        }),
      );
      expect((await send('delete', `/scim/v2/Users/${user.id}`)).status).toBe(204);
      // HR brings them back, then terminates them itself; deprovisioned_at is still set.
      await imported({ ...row, status: 'active' });
      await imported({ ...row, status: 'terminated' });
      expect((await accessOf(user.id)).deprovisioned_at).not.toBeNull();
      const res = await send('patch', `/scim/v2/Users/${user.id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', path: 'active', value: true }],
      });
      expect(res.status).toBe(200);
      expect(res.body.active).toBe(false);
      expect((await accessOf(user.id)).status).toBe('terminated');
      expect(await events('person.reactivation_ignored', user.id)).toHaveLength(1);
    });

    it('reactivates whom SCIM deprovisioned: access restored, pre_start before the start date', async () => {
      const user = await create(oktaUser({ [ATTEST]: { startDate: '2999-01-04' } }));
      expect((await send('delete', `/scim/v2/Users/${user.id}`)).status).toBe(204);
      expect((await accessOf(user.id)).access_ended_at).not.toBeNull();
      const on = await send('patch', `/scim/v2/Users/${user.id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', path: 'active', value: true }],
      });
      expect(on.status).toBe(200);
      expect(on.body.active).toBe(true);
      expect(await accessOf(user.id)).toEqual({
        status: 'pre_start',
        deprovisioned_at: null,
        access_ended_at: null,
      });
      expect(await events('person.reactivated', user.id)).toEqual([
        expect.objectContaining({ details: expect.objectContaining({ status: 'pre_start' }) }),
      ]);
    });
  });

  describe('leaving', () => {
    it('a deactivation retried after leaving did not complete runs the leaving again', async () => {
      const user = await create(oktaUser());
      expect((await send('delete', `/scim/v2/Users/${user.id}`)).status).toBe(204);
      expect(await events('person.left', user.id)).toHaveLength(1);
      // As if the leaving after the first request had failed: deprovisioned, access not ended.
      await query('update person set access_ended_at = null where id = $1', [user.id]);
      const retry = await send('patch', `/scim/v2/Users/${user.id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', value: { active: false } }],
      });
      expect(retry.status).toBe(200);
      expect((await accessOf(user.id)).access_ended_at).not.toBeNull();
      expect(await events('person.left', user.id)).toHaveLength(2);
      // Run again once complete, it changes nothing.
      expect((await send('delete', `/scim/v2/Users/${user.id}`)).status).toBe(204);
      expect(await events('person.left', user.id)).toHaveLength(2);
    });
  });

  describe('the last active admin', () => {
    it('refuses (409) to deactivate or delete the only active admin, writing nothing', async () => {
      await query("update person set roles = array_remove(roles, 'admin')");
      const admin = await create(oktaUser());
      await query("update person set roles = array['admin', 'employee'] where id = $1", [admin.id]);
      const del = await send('delete', `/scim/v2/Users/${admin.id}`);
      expect409(del, /only active admin/);
      const patch = await send('patch', `/scim/v2/Users/${admin.id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', value: { active: false } }],
      });
      expect409(patch, /only active admin/);
      expect(await accessOf(admin.id)).toMatchObject({ status: 'active', deprovisioned_at: null });
      expect(await events('person.deprovisioned', admin.id)).toEqual([]);
      const second = await create(oktaUser());
      await query("update person set roles = array['admin', 'employee'] where id = $1", [
        second.id,
      ]);
      expect((await send('delete', `/scim/v2/Users/${admin.id}`)).status).toBe(204);
      expect((await accessOf(admin.id)).status).toBe('terminated');
    });
  });
});
