import request from 'supertest';
import { ApiTokensService } from '../../src/api-tokens/api-tokens.service';
import { DEMO_PERSONAS } from '../../src/auth/demo-idp/demo-personas';
import { formPostingTo } from '../helpers/html-forms';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { cookieHeader, sessionCookieOf } from '../helpers/test-idp';

const SCIM = 'application/scim+json';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/**
 * Hire to leave, as an identity provider runs it: SCIM creates the person and puts them in the
 * HR group, they sign in through the (demo) IdP with HR's rights, SCIM deactivates them, and the
 * very next request of their session is refused.
 */
describe('identity lifecycle: SCIM provisioning, SSO sign-in, SCIM deprovisioning', () => {
  let t: TestApp;
  let token: string;
  // The demo IdP signs in its personas only; this one is in no Attest group at the IdP.
  const persona = DEMO_PERSONAS.find((p) => p.id === 'engineer-us')!;

  beforeAll(async () => {
    t = await createTestApp();
    token = (await t.app.get(ApiTokensService).create('test', { name: 'okta', role: 'scim' }))
      .secret;
  });

  afterAll(async () => {
    await t?.close();
  });

  const scim = (method: 'get' | 'post' | 'patch', path: string, body?: object) => {
    const call = request(t.server)
      [method](`/scim/v2${path}`)
      .set('Authorization', `Bearer ${token}`)
      .set('Accept', SCIM);
    return body ? call.set('Content-Type', SCIM).send(JSON.stringify(body)) : call;
  };

  /** The demo IdP's whole sign-in, as a browser: returns the session cookie, if any. */
  async function signIn(): Promise<{ status: number; session: string | undefined }> {
    const login = await request(t.server).get('/auth/saml/login?returnTo=%2Fme');
    expect(login.status).toBe(302);
    const cookies = cookieHeader(login).filter((c) => c.startsWith('attest_login='));
    const idp = new URL(login.headers.location as string);
    const page = await request(t.server)
      .get(`${idp.pathname}${idp.search}`)
      .set('Cookie', cookies)
      .expect(200);
    const form = formPostingTo(page.text, '/demo-idp/sso');
    const answer = await request(t.server)
      .post(form.action)
      .set('Cookie', cookies)
      .type('form')
      .send({ ...form.hidden, persona: persona.id })
      .expect(200);
    const post = formPostingTo(answer.text, t.config.saml.acsUrl);
    const acs = await request(t.server)
      .post(new URL(post.action).pathname)
      .set('Cookie', cookies)
      .type('form')
      .send(post.hidden);
    return { status: acs.status, session: sessionCookieOf(acs) };
  }

  it('gives HR rights by SCIM group, and ends access at the next request once deactivated', async () => {
    const created = await scim('post', '/Users', {
      schemas: [USER, ENTERPRISE],
      userName: persona.email,
      externalId: '00u1lifecycle',
      name: { givenName: 'Sam', familyName: 'Rivera' },
      displayName: persona.displayName,
      emails: [{ value: persona.email, type: 'work', primary: true }],
      active: true,
      [ENTERPRISE]: { employeeNumber: 'E-LIFE-1', department: 'Engineering' },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;

    const group = await scim('post', '/Groups', {
      schemas: [GROUP],
      displayName: 'attest-hr',
      members: [{ value: id }],
    });
    expect(group.status).toBe(201);
    const [provisioned] = await t.db.query<{ roles: string[] }>(
      'select roles from person where id = $1',
      [id],
    );
    expect([...provisioned.roles].sort()).toEqual(['employee', 'hr']);

    // The IdP's assertion names no Attest group for this persona: SCIM's groups hold.
    const first = await signIn();
    expect(first.status).toBe(303);
    expect(first.session).toBeDefined();
    await request(t.server)
      .get('/people')
      .set('Cookie', [first.session!])
      .set('Accept', 'text/html')
      .expect(200);
    const [signedIn] = await t.db.query<{ id: string; roles: string[] }>(
      'select id, roles from person where email = $1',
      [persona.email],
    );
    expect(signedIn.id).toBe(id);
    expect([...signedIn.roles].sort()).toEqual(['employee', 'hr']);

    // Okta deactivates: PATCH replace of `active` with a boolean.
    await scim('patch', `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', value: { active: false } }],
    }).expect(200);

    const after = await request(t.server)
      .get('/people')
      .set('Cookie', [first.session!])
      .set('Accept', 'text/html');
    expect(after.status).not.toBe(200);
    expect([302, 303, 401, 403]).toContain(after.status);
    const [left] = await t.db.query<{ open: string; deprovisioned_at: Date | null }>(
      `select (select count(*) from session where person_id = $1 and ended_at is null)::text as open,
              deprovisioned_at
         from person where id = $1`,
      [id],
    );
    expect(left.open).toBe('0');
    expect(left.deprovisioned_at).not.toBeNull();

    // And the IdP's next assertion for them signs nobody in.
    const again = await signIn();
    expect(again.session).toBeUndefined();
  });
});
