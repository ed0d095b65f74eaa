import request from 'supertest';
import { parseRedirectAuthnRequest } from '../../src/auth/saml/authn-request.parser';
import { createTestApp, type TestApp } from '../helpers/test-app';
import {
  cookieHeader,
  postAcs,
  sessionCookieOf,
  startLogin,
  testIdpEnv,
  testIdpResponse,
} from '../helpers/test-idp';

const JANE = { email: 'jane@corp.example', groups: ['all-staff'] };

/**
 * AUTH_RATE_LIMIT=3: sign-in requests per minute per client address. Each test gets its own
 * app, so each starts with an empty budget (the throttler keeps its counts in memory).
 */
describe('sign-in rate limit (AUTH_RATE_LIMIT=3)', () => {
  let t: TestApp;

  beforeEach(async () => {
    t = await createTestApp({ env: { ...(await testIdpEnv()), AUTH_RATE_LIMIT: '3' } });
  });

  afterEach(async () => {
    await t?.close();
  });

  const login = () => request(t.server).get('/auth/saml/login').set('Accept', 'text/html');

  async function rateLimitedPaths(): Promise<string[]> {
    const rows = await t.db.query<{ details: { path: string } }>(
      "select details from audit_event where action = 'auth.rate_limited' order by seq",
    );
    return rows.map((r) => r.details.path);
  }

  it('answers the 4th login in a minute with 429 and Retry-After, and audits it', async () => {
    for (let i = 0; i < 3; i++) await login().expect(302);
    expect(await rateLimitedPaths()).toEqual([]);

    const res = await login();
    expect(res.status).toBe(429);
    expect(res.headers.location).toBeUndefined();
    const retryAfter = Number(res.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(res.text).toContain('Too many attempts');
    // No AuthnRequest was issued for the refused attempt.
    expect(await t.db.query('select id from saml_request')).toHaveLength(3);
    expect(await rateLimitedPaths()).toEqual(['/auth/saml/login']);
  });

  it('limits the ACS too: the 4th POST in a minute is refused before the response is read', async () => {
    const notSaml = Buffer.from('not SAML').toString('base64');
    for (let i = 0; i < 3; i++) await postAcs(t.server, [], notSaml).expect(401);
    const res = await postAcs(t.server, [], notSaml);
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    expect(await rateLimitedPaths()).toEqual(['/auth/saml/acs']);
    // Refused by the limit, not by the SAML checks: three refusals audited, not four.
    const refusals = await t.db.query(
      "select 1 from audit_event where action = 'auth.login_failed'",
    );
    expect(refusals).toHaveLength(3);
  });

  it('counts login and ACS against one budget per client', async () => {
    const started = await startLogin(t.server);
    await login().expect(302);
    await login().expect(302);
    const built = await testIdpResponse(
      t.config.saml.acsUrl,
      t.config.saml.spEntityId,
      started.requestId,
      JANE,
    );
    // Three sign-in requests so far: this one is the fourth.
    const res = await postAcs(t.server, started.cookies, built.base64);
    expect(res.status).toBe(429);
    expect(await rateLimitedPaths()).toEqual(['/auth/saml/acs']);
  });

  it('does not limit ordinary pages', async () => {
    for (let i = 0; i < 6; i++) {
      await request(t.server).get('/me').set('Accept', 'text/html').expect(302);
    }
    await login().expect(302);
  });
});

/**
 * AUTH_IDENTITY_RATE_LIMIT=3: validated sign-ins per minute per identity (IdP issuer and NameID),
 * beside AUTH_RATE_LIMIT per client address. TRUST_PROXY lets the test speak as several clients.
 */
describe('sign-in rate limit per identity (AUTH_IDENTITY_RATE_LIMIT=3)', () => {
  const ANNA = { email: 'anna@corp.example', groups: ['all-staff'] };
  const BORIS = { email: 'boris@corp.example', groups: ['all-staff'] };
  const CLIENT_1 = '203.0.113.1';
  const CLIENT_2 = '203.0.113.2';
  const CLIENT_3 = '203.0.113.3';
  let t: TestApp;

  const startApp = async (authRateLimit: string) => {
    t = await createTestApp({
      env: {
        ...(await testIdpEnv()),
        AUTH_RATE_LIMIT: authRateLimit,
        AUTH_IDENTITY_RATE_LIMIT: '3',
        TRUST_PROXY: 'loopback',
      },
    });
  };

  afterEach(async () => {
    await t?.close();
  });

  /** The whole SAML flow as `client`: GET /auth/saml/login, then the IdP's answer to the ACS. */
  async function signInFrom(client: string, claims: typeof ANNA) {
    const login = await request(t.server)
      .get('/auth/saml/login')
      .set('X-Forwarded-For', client)
      .expect(302);
    const cookies = cookieHeader(login);
    const { id } = parseRedirectAuthnRequest(
      new URL(login.headers.location as string).searchParams.get('SAMLRequest') ?? '',
    );
    const built = await testIdpResponse(t.config.saml.acsUrl, t.config.saml.spEntityId, id, claims);
    return request(t.server)
      .post('/auth/saml/acs')
      .set('Cookie', cookies)
      .set('X-Forwarded-For', client)
      .set('Accept', 'text/html')
      .type('form')
      .send({ SAMLResponse: built.base64 });
  }

  const refusals = () =>
    t.db.query<{ ip: string; subject_type: string | null; details: Record<string, string> }>(
      "select ip, subject_type, details from audit_event where action = 'auth.rate_limited' order by seq",
    );

  it('refuses a 4th sign-in of one identity from any client, and lets another identity in from the same client', async () => {
    await startApp('100');
    for (let i = 0; i < 3; i++) expect((await signInFrom(CLIENT_1, ANNA)).status).toBe(303);

    const refused = await signInFrom(CLIENT_1, ANNA);
    expect(refused.status).toBe(429);
    expect(sessionCookieOf(refused)).toBeUndefined();
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused.text).toContain('This account has signed in 3 times in the last minute');
    // Anna's budget is hers: Boris signs in from the same client address…
    const boris = await signInFrom(CLIENT_1, BORIS);
    expect(boris.status).toBe(303);
    expect(sessionCookieOf(boris)).toBeDefined();
    // …and a fresh client address buys Anna no fresh budget.
    expect((await signInFrom(CLIENT_1, ANNA)).status).toBe(429);
    expect((await signInFrom(CLIENT_2, ANNA)).status).toBe(429);

    // Three refusals, audited once per identity and client address.
    const events = await refusals();
    expect(events.map((e) => [e.ip, e.subject_type, e.details.limit])).toEqual([
      [CLIENT_1, 'sso_identity', 'identity'],
      [CLIENT_2, 'sso_identity', 'identity'],
    ]);
    // Only an HMAC of the identity: no NameID (here the email) in the log.
    expect(JSON.stringify(events)).not.toContain('anna');
  });

  it('keeps the per-client budget per client: one client spending it stops neither another client nor the identity', async () => {
    // AUTH_RATE_LIMIT=4: two sign-ins (a login and an ACS post each) per client a minute.
    await startApp('4');
    expect((await signInFrom(CLIENT_1, ANNA)).status).toBe(303);
    expect((await signInFrom(CLIENT_1, BORIS)).status).toBe(303);
    const login = await request(t.server)
      .get('/auth/saml/login')
      .set('X-Forwarded-For', CLIENT_1)
      .set('Accept', 'text/html');
    expect(login.status).toBe(429);
    expect(login.text).toContain('Too many attempts');

    // Client 1 spent its budget; Anna, with one of her three sign-ins used, comes in from client 3.
    expect((await signInFrom(CLIENT_3, ANNA)).status).toBe(303);
    const events = await refusals();
    expect(events.map((e) => [e.ip, e.subject_type])).toEqual([[CLIENT_1, null]]);
  });
});
