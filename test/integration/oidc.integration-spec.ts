import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { enrolTotp } from '../helpers/admin-step-up';
import { listRoutes } from '../helpers/app-routes';
import { cookieHeader, sessionCookieOf } from '../helpers/test-idp';
import {
  startOpenIdProvider,
  type NextLogin,
  type TestOpenIdProvider,
} from '../helpers/oidc-test-provider';
import { createTestApp, type TestApp } from '../helpers/test-app';

const CLIENT_ID = 'attest';
const CLIENT_SECRET = 'attest-test-client-secret-0123456789';
const REDIRECT_URI = 'http://localhost:3000/auth/oidc/callback';

const ALICE: NextLogin = {
  sub: 'op-user-alice-0001',
  claims: {
    email: 'Alice.Olsen@example.com',
    email_verified: true,
    name: 'Alice Olsen',
    groups: ['attest-admins', 'engineering'],
  },
  acr: 'urn:example:mfa',
  amr: ['pwd', 'otp'],
};

/** Sign-in through a real OpenID Provider (oidc-provider) over real HTTP, on either database. */
describe('OpenID Connect sign-in (integration)', () => {
  let op: TestOpenIdProvider;
  let t: TestApp;
  // The second client's key: an EC P-256 key in a PEM file, as an operator would give it.
  const clientKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const clientKeyFile = join(mkdtempSync(join(tmpdir(), 'attest-oidc-key-')), 'client.pem');
  writeFileSync(clientKeyFile, clientKey.privateKey.export({ type: 'pkcs8', format: 'pem' }), {
    mode: 0o600,
  });

  beforeAll(async () => {
    op = await startOpenIdProvider(REDIRECT_URI, CLIENT_ID, CLIENT_SECRET, {
      ...clientKey.publicKey.export({ format: 'jwk' }),
      kid: 'attest-key-1',
      alg: 'ES256',
      use: 'sig',
    });
    t = await createTestApp({
      env: {
        OIDC_ISSUER: op.issuer,
        OIDC_CLIENT_ID: CLIENT_ID,
        OIDC_CLIENT_SECRET: CLIENT_SECRET,
        OIDC_SCOPES: 'openid email profile groups',
      },
    });
  });

  afterAll(async () => {
    await t?.close();
    await op?.close();
  });

  /** GET /auth/oidc/login, then the provider's pages: Attest's callback URL and login cookie. */
  async function throughProvider(login: NextLogin) {
    await op.nextLogin(login);
    const start = await request(t.server).get('/auth/oidc/login?returnTo=%2Fme').expect(302);
    const pending = cookieHeader(start).find((c) => c.startsWith('attest_oidc='));
    expect(pending).toBeDefined();
    const callback = await op.authorize(start.headers.location as string, REDIRECT_URI);
    return { callback, pending: pending! };
  }

  function callbackRequest(callback: URL, cookie: string | undefined) {
    return request(t.server)
      .get(`${callback.pathname}${callback.search}`)
      .set('Cookie', cookie ? [cookie] : []);
  }

  async function sessionCount(): Promise<number> {
    const [row] = await t.db.query<{ n: number }>('select count(*)::int as n from session');
    return row.n;
  }

  async function lastRefusal(): Promise<Record<string, unknown> | undefined> {
    const [row] = await t.db.query<{ details: Record<string, unknown> }>(
      "select details from audit_event where action = 'auth.login_failed' order by seq desc limit 1",
    );
    return row?.details;
  }

  /** A callback that must be refused: 401, no session cookie, no session row, audited. */
  async function expectRefused(res: request.Response, reason: string, sessionsBefore: number) {
    expect(res.status).toBe(401);
    expect(sessionCookieOf(res)).toBeUndefined();
    expect(await sessionCount()).toBe(sessionsBefore);
    expect(await lastRefusal()).toMatchObject({ reason, method: 'oidc' });
  }

  it('points the sign-in links at OpenID Connect', async () => {
    const home = await request(t.server).get('/auth/login?returnTo=%2Fdocuments').expect(302);
    expect(home.headers.location).toBe('/auth/oidc/login?returnTo=%2Fdocuments');
    const me = await request(t.server).get('/me').set('Accept', 'text/html').expect(302);
    expect(me.headers.location).toBe('/auth/oidc/login?returnTo=%2Fme');
    await request(t.server).get('/auth/saml/login').expect(404);
  });

  it('mounts the OIDC routes instead of the SAML ones, each declared public', () => {
    const routes = listRoutes(t.app);
    const auth = routes
      .filter((r) => r.path.startsWith('/auth/') && !r.path.startsWith('/auth/totp'))
      .map((r) => `${r.method} ${r.path} ${r.declaration}${r.skipsCsrf ? ' skip-csrf' : ''}`)
      .sort();
    expect(auth).toEqual([
      'GET /auth/login public',
      'GET /auth/oidc/callback public',
      'GET /auth/oidc/login public',
      'POST /auth/logout public',
    ]);
    expect(routes.filter((r) => r.declaration === 'UNDECLARED')).toEqual([]);
  });

  it('starts the code flow with PKCE S256, a state and a nonce', async () => {
    const start = await request(t.server).get('/auth/oidc/login').expect(302);
    const url = new URL(start.headers.location as string);
    expect(url.origin).toBe(op.issuer);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT_URI,
      code_challenge_method: 'S256',
      scope: 'openid email profile groups',
    });
    for (const name of ['state', 'nonce', 'code_challenge']) {
      expect(url.searchParams.get(name)).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    }
    const cookie = (start.headers['set-cookie'] as unknown as string[]).find((c) =>
      c.startsWith('attest_oidc='),
    )!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    // Encrypted: neither the verifier nor the state can be read from it.
    expect(cookie).not.toContain(url.searchParams.get('state'));
  });

  it('signs in: person bound to iss + sub, roles from the groups claim, acr/amr/auth_time kept', async () => {
    const before = Date.now();
    const { callback, pending } = await throughProvider(ALICE);
    expect(callback.searchParams.get('iss')).toBe(op.issuer);
    const res = await callbackRequest(callback, pending).expect(303);
    expect(res.headers.location).toBe('/me');
    const session = sessionCookieOf(res);
    expect(session).toBeDefined();
    await request(t.server).get('/me').set('Cookie', [session!]).expect(200);

    const [person] = await t.db.query<{
      id: string;
      roles: string[];
      full_name: string;
      saml_issuer: string;
      saml_name_id: string;
    }>('select id, roles, full_name, saml_issuer, saml_name_id from person where email = $1', [
      'alice.olsen@example.com',
    ]);
    expect([...person.roles].sort()).toEqual(['admin', 'employee']);
    expect(person).toMatchObject({
      full_name: 'Alice Olsen',
      saml_issuer: op.issuer,
      saml_name_id: ALICE.sub,
    });
    const [row] = await t.db.query<{
      idp_entity_id: string;
      name_id: string;
      authn_context_class_ref: string;
      mfa: boolean;
      authn_instant: Date;
      auth_method: string;
    }>(
      'select idp_entity_id, name_id, authn_context_class_ref, mfa, authn_instant, auth_method from session where person_id = $1',
      [person.id],
    );
    expect(row).toMatchObject({
      auth_method: 'oidc',
      idp_entity_id: op.issuer,
      name_id: ALICE.sub,
      authn_context_class_ref: 'urn:example:mfa',
      mfa: true,
    });
    expect(row.authn_instant.getTime()).toBeGreaterThanOrEqual(before - 2_000);
    expect(row.authn_instant.getTime()).toBeLessThanOrEqual(Date.now() + 1_000);
    const [audit] = await t.db.query<{ details: Record<string, unknown> }>(
      "select details from audit_event where action = 'auth.login_succeeded' order by seq desc limit 1",
    );
    expect(audit.details).toMatchObject({ method: 'oidc', idp: op.issuer, mfa: true });
  });

  it('shows an administrator the provider and the redirect URI to register', async () => {
    const { callback, pending } = await throughProvider(ALICE);
    const session = sessionCookieOf(await callbackRequest(callback, pending).expect(303))!;
    await enrolTotp(t.server, session);
    const page = await request(t.server)
      .get('/admin/configuration')
      .set('Cookie', [session])
      .expect(200);
    expect(page.text).toContain('Your OpenID Provider (OpenID Connect)');
    expect(page.text).toContain(op.issuer);
    expect(page.text).toContain("Attest's redirect URI");
    expect(page.text).toContain(REDIRECT_URI);
    expect(page.text).not.toContain('ACS URL');
  });

  it('records a password-only sign-in as single-factor', async () => {
    const { callback, pending } = await throughProvider({
      ...ALICE,
      acr: 'urn:example:password',
      amr: ['pwd'],
    });
    await callbackRequest(callback, pending).expect(303);
    const [row] = await t.db.query<{ mfa: boolean }>(
      'select mfa from session order by created_at desc limit 1',
    );
    expect(row.mfa).toBe(false);
  });

  it('refuses a replayed callback (the same code and state a second time)', async () => {
    const { callback, pending } = await throughProvider(ALICE);
    await callbackRequest(callback, pending).expect(303);
    const sessions = await sessionCount();
    // Even with the login cookie the browser had, the state is spent.
    await expectRefused(await callbackRequest(callback, pending), 'replay', sessions);
    // And without it, nothing ties the callback to a login this browser started.
    await expectRefused(await callbackRequest(callback, undefined), 'state', sessions);
  });

  it.each([
    ['forge', 'signature'],
    ['nonce', 'nonce'],
    ['aud', 'audience'],
    ['expired', 'expired'],
  ] as const)('refuses an ID token re-signed with %s altered (%s)', async (tamper, reason) => {
    const sessions = await sessionCount();
    const { callback, pending } = await throughProvider({ ...ALICE, tamper });
    await expectRefused(await callbackRequest(callback, pending), reason, sessions);
  });

  it('refuses a wrong or missing state', async () => {
    const sessions = await sessionCount();
    const wrong = await throughProvider(ALICE);
    wrong.callback.searchParams.set('state', 'A'.repeat(43));
    await expectRefused(await callbackRequest(wrong.callback, wrong.pending), 'state', sessions);
    const missing = await throughProvider(ALICE);
    missing.callback.searchParams.delete('state');
    await expectRefused(
      await callbackRequest(missing.callback, missing.pending),
      'state',
      sessions,
    );
  });

  it('refuses a callback whose iss is not the issuer, or lacks it (RFC 9207)', async () => {
    const sessions = await sessionCount();
    const wrong = await throughProvider(ALICE);
    wrong.callback.searchParams.set('iss', 'https://idp.attacker.example');
    await expectRefused(await callbackRequest(wrong.callback, wrong.pending), 'issuer', sessions);
    const missing = await throughProvider(ALICE);
    missing.callback.searchParams.delete('iss');
    await expectRefused(
      await callbackRequest(missing.callback, missing.pending),
      'issuer',
      sessions,
    );
  });

  it('refuses a sign-in whose sub contradicts the binding of the email', async () => {
    const sessions = await sessionCount();
    const { callback, pending } = await throughProvider({ ...ALICE, sub: 'op-user-mallory-0666' });
    await expectRefused(await callbackRequest(callback, pending), 'identity_mismatch', sessions);
  });

  it('refuses an email the provider says is unverified', async () => {
    const sessions = await sessionCount();
    const { callback, pending } = await throughProvider({
      sub: 'op-user-eve-0002',
      claims: { email: 'eve@example.com', email_verified: false, name: 'Eve' },
    });
    await expectRefused(await callbackRequest(callback, pending), 'email_unverified', sessions);
    const people = await t.db.query('select 1 from person where email = $1', ['eve@example.com']);
    expect(people).toHaveLength(0);
  });

  describe('a person the IdP provisions by SCIM', () => {
    const GRACE: NextLogin = {
      sub: 'op-user-grace-0003',
      claims: {
        email: 'grace@example.com',
        email_verified: true,
        name: 'Grace Hopper',
        groups: ['attest-admins'],
      },
      amr: ['hwk'],
    };

    async function provisionedByScim(roles: string[]): Promise<string> {
      const [row] = await t.db.query<{ id: string }>(
        `insert into person (id, email, full_name, roles, status, scim_user_name, field_sources, created_at, updated_at)
         values (gen_random_uuid(), $1, 'Grace Hopper', $2, 'active', $1, $3, now(), now()) returning id`,
        [
          'grace@example.com',
          roles,
          JSON.stringify({ roles: { source: 'scim', at: new Date().toISOString() } }),
        ],
      );
      return row.id;
    }

    it('keeps the roles SCIM gave, whatever the groups claim says, and binds the identity', async () => {
      const id = await provisionedByScim(['employee', 'hr']);
      const { callback, pending } = await throughProvider(GRACE);
      await callbackRequest(callback, pending).expect(303);
      const [person] = await t.db.query<{
        roles: string[];
        saml_name_id: string;
        field_sources: Record<string, { source: string }>;
      }>('select roles, saml_name_id, field_sources from person where id = $1', [id]);
      expect([...person.roles].sort()).toEqual(['employee', 'hr']);
      expect(person.saml_name_id).toBe(GRACE.sub);
      expect(person.field_sources.roles.source).toBe('scim');
    });

    it('refuses the sign-in once SCIM has deprovisioned them, and changes nothing', async () => {
      await t.db.query(
        "update person set deprovisioned_at = now(), full_name = 'Grace (left)' where email = $1",
        ['grace@example.com'],
      );
      const sessions = await sessionCount();
      const { callback, pending } = await throughProvider(GRACE);
      await expectRefused(await callbackRequest(callback, pending), 'scim_deprovisioned', sessions);
      const [person] = await t.db.query<{ full_name: string }>(
        'select full_name from person where email = $1',
        ['grace@example.com'],
      );
      expect(person.full_name).toBe('Grace (left)');
    });
  });

  it('authenticates to the token endpoint with private_key_jwt when given a key file', async () => {
    const keyed = await createTestApp({
      env: {
        OIDC_ISSUER: op.issuer,
        OIDC_CLIENT_ID: `${CLIENT_ID}-key`,
        OIDC_CLIENT_PRIVATE_KEY_FILE: clientKeyFile,
        OIDC_CLIENT_KEY_ID: 'attest-key-1',
      },
    });
    try {
      await op.nextLogin({
        ...ALICE,
        sub: 'op-user-ken-0004',
        claims: { email: 'ken@example.com', email_verified: true },
      });
      const start = await request(keyed.server).get('/auth/oidc/login').expect(302);
      const pending = cookieHeader(start).find((c) => c.startsWith('attest_oidc='))!;
      const callback = await op.authorize(start.headers.location as string, REDIRECT_URI);
      const res = await request(keyed.server)
        .get(`${callback.pathname}${callback.search}`)
        .set('Cookie', [pending])
        .expect(303);
      expect(sessionCookieOf(res)).toBeDefined();
    } finally {
      await keyed.close();
    }
  });

  it('logs no secret, code, state, token or personal claim', () => {
    expect(t.logs.lines.length).toBeGreaterThan(0);
    for (const secret of [CLIENT_SECRET, 'code=', 'state=', 'id_token', ALICE.sub, 'alice.olsen']) {
      expect(t.logs.text).not.toContain(secret);
    }
  });
});
