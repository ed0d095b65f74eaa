import request from 'supertest';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { postAcs, startLogin, testIdpEnv, testIdpResponse } from '../helpers/test-idp';

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
