import request from 'supertest';
import type { TestApp } from './test-app';

export const SCIM = 'application/scim+json';
export const SCIM_ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const ATTEST = 'urn:ietf:params:scim:schemas:extension:attest:2.0:User';

/**
 * An identity provider calling /scim/v2 with its token, and reads of what Attest stored. `app`
 * and `token` are read at call time (they are set in beforeAll).
 */
export function scimHarness(app: () => TestApp, token: () => string) {
  let seq = 0;
  const send = (
    method: 'post' | 'put' | 'patch' | 'delete' | 'get',
    path: string,
    body?: unknown,
  ) => {
    const req = request(app().server)[method](path).set('Authorization', `Bearer ${token()}`);
    return body === undefined ? req : req.set('Content-Type', SCIM).send(JSON.stringify(body));
  };
  const query = <T>(sql: string, params: unknown[] = []) => app().db.query<T>(sql, params);
  const personRowOf = async (id: string) =>
    (
      await query<{
        email: string;
        full_name: string;
        status: string;
        scim_user_name: string | null;
        scim_external_id: string | null;
        deprovisioned_at: Date | null;
        manager_email: string | null;
        department: string | null;
        employee_number: string | null;
        country: string | null;
        field_sources: Record<string, { source: string }>;
      }>('select * from person where id = $1', [id])
    )[0];
  const events = (action: string, subjectId?: string) =>
    query<{ actor_id: string; details: Record<string, unknown> }>(
      `select actor_id, details from audit_event where action = $1 ${subjectId ? 'and subject_id = $2' : ''} order by seq`,
      subjectId ? [action, subjectId] : [action],
    );

  /** An Okta-style create, as in Okta's SCIM 2.0 reference. */
  const oktaUser = (extra: Record<string, unknown> = {}) => {
    seq++;
    return {
      schemas: [CORE_USER],
      userName: `okta.user${seq}@corp.example`,
      name: { givenName: 'Olive', familyName: `Okta${seq}` },
      emails: [{ primary: true, value: `okta.user${seq}@corp.example`, type: 'work' }],
      displayName: `Olive Okta${seq}`,
      locale: 'en-US',
      externalId: `00u${seq}abcdEFGH`,
      groups: [],
      password: 'ignored-Secret-1',
      active: true,
      ...extra,
    };
  };
  const create = async (body: Record<string, unknown>) => {
    const res = await send('post', '/scim/v2/Users', body);
    expect(res.status).toBe(201);
    return res.body as { id: string } & Record<string, unknown>;
  };

  return { send, query, personRowOf, events, oktaUser, create };
}
