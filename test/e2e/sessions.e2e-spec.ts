import request from 'supertest';
import { enrolTotp } from '../helpers/admin-step-up';
import { cookieNamed, csrfTokenIn, setCookieLines } from '../helpers/html-forms';
import { createTestApp, type TestApp } from '../helpers/test-app';
import {
  postAcs,
  signIn,
  startLogin,
  testIdpEnv,
  testIdpResponse,
  type PersonaClaims,
} from '../helpers/test-idp';

const JANE: PersonaClaims = { email: 'jane@corp.example', groups: ['all-staff'] };
const ADA: PersonaClaims = { email: 'ada@corp.example', groups: ['attest-admins'] };

describe('sessions: logout, timeouts, revocation, cookies', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { ...(await testIdpEnv()), SESSION_IDLE_MINUTES: '1' } });
  });

  afterAll(async () => {
    await t?.close();
  });

  const sp = () => ({ acsUrl: t.config.saml.acsUrl, spEntityId: t.config.saml.spEntityId });
  const me = (session: string) =>
    request(t.server).get('/me').set('Cookie', [session]).set('Accept', 'text/html');

  async function expectSignedOut(session: string): Promise<void> {
    const res = await me(session);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/auth/saml/login?returnTo=%2Fme');
  }

  /** The newest session row of the person with `email`. */
  async function latestSession(email: string) {
    const [row] = await t.db.query<{
      id: string;
      person_id: string;
      ended_at: Date | null;
      ended_reason: string | null;
    }>(
      `select s.id, s.person_id, s.ended_at, s.ended_reason from session s
         join person p on p.id = s.person_id where p.email = $1 order by s.created_at desc limit 1`,
      [email],
    );
    return row;
  }

  async function audited(action: string, subjectId?: string) {
    return t.db.query<{ actor_id: string; subject_id: string; details: Record<string, unknown> }>(
      `select actor_id, subject_id, details from audit_event
         where action = $1 and ($2::text is null or subject_id = $2) order by seq`,
      [action, subjectId ?? null],
    );
  }

  describe('logout', () => {
    it('POST /auth/logout with the CSRF token ends every session of the person and clears the cookie', async () => {
      const otherBrowser = await signIn(t.server, sp(), JANE);
      const session = await signIn(t.server, sp(), JANE);
      const page = await me(session).expect(200);
      const row = await latestSession(JANE.email);
      const res = await request(t.server)
        .post('/auth/logout')
        .set('Cookie', [session])
        .type('form')
        .send({ _csrf: csrfTokenIn(page.text) });
      expect(res.status).toBeLessThan(300);
      expect(res.text).toContain('You are signed out');
      expect(setCookieLines(res).join('\n')).toMatch(/attest_session=;.*Expires=Thu, 01 Jan 1970/);

      await expectSignedOut(session);
      await expectSignedOut(otherBrowser);
      expect(await latestSession(JANE.email)).toMatchObject({ ended_reason: 'logout' });
      const logouts = await audited('auth.logout');
      expect(logouts.at(-1)?.actor_id).toBe(row.person_id);
    });

    it('refuses a logout without the CSRF token (403) and keeps the session', async () => {
      const session = await signIn(t.server, sp(), JANE);
      await request(t.server).post('/auth/logout').set('Cookie', [session]).expect(403);
      await me(session).expect(200);
    });
  });

  describe('timeouts (SESSION_IDLE_MINUTES=1)', () => {
    it('keeps a session seen 30 seconds ago', async () => {
      const session = await signIn(t.server, sp(), JANE);
      const { id } = await latestSession(JANE.email);
      await t.db.query(
        `update session set last_seen_at = now() - interval '30 seconds' where id = $1`,
        [id],
      );
      await me(session).expect(200);
    });

    it('ends a session idle for longer than the limit: idle_timeout', async () => {
      const session = await signIn(t.server, sp(), JANE);
      const { id } = await latestSession(JANE.email);
      await t.db.query(
        `update session set last_seen_at = now() - interval '2 minutes' where id = $1`,
        [id],
      );
      await expectSignedOut(session);
      const [row] = await t.db.query<{ ended_at: Date | null; ended_reason: string }>(
        'select ended_at, ended_reason from session where id = $1',
        [id],
      );
      expect(row.ended_at).not.toBeNull();
      expect(row.ended_reason).toBe('idle_timeout');
      expect((await audited('session.ended', id))[0]?.details).toEqual({ reason: 'idle_timeout' });
    });

    it('ends a session past its absolute expiry, however active: absolute_timeout', async () => {
      const session = await signIn(t.server, sp(), JANE);
      const { id } = await latestSession(JANE.email);
      await t.db.query(
        `update session set expires_at = now() - interval '1 second', last_seen_at = now() where id = $1`,
        [id],
      );
      const res = await me(session);
      expect(res.status).toBe(302);
      expect(setCookieLines(res).join('\n')).toMatch(/attest_session=;/);
      const [row] = await t.db.query<{ ended_reason: string }>(
        'select ended_reason from session where id = $1',
        [id],
      );
      expect(row.ended_reason).toBe('absolute_timeout');
    });
  });

  describe('an admin ends another person’s session', () => {
    let admin: string;
    let adminCsrf: string;

    beforeAll(async () => {
      admin = await signIn(t.server, sp(), ADA);
      await enrolTotp(t.server, admin);
      adminCsrf = csrfTokenIn((await me(admin).expect(200)).text);
    });

    it('lists the sessions and revokes exactly the one chosen', async () => {
      const kept = await signIn(t.server, sp(), JANE);
      const victim = await signIn(t.server, sp(), JANE);
      const { id: victimSessionId, person_id: janeId } = await latestSession(JANE.email);

      const list = await request(t.server)
        .get(`/admin/people/${janeId}/sessions`)
        .set('Cookie', [admin])
        .expect(200);
      expect(list.text).toContain(JANE.email);
      expect(list.text).toContain(`action="/admin/sessions/${victimSessionId}/revoke"`);
      expect((await audited('session.listed', janeId)).length).toBeGreaterThanOrEqual(1);

      const revoked = await request(t.server)
        .post(`/admin/sessions/${victimSessionId}/revoke`)
        .set('Cookie', [admin])
        .type('form')
        .send({ _csrf: adminCsrf });
      expect(revoked.status).toBe(303);
      expect(revoked.headers.location).toBe(`/admin/people/${janeId}/sessions`);

      await expectSignedOut(victim);
      await me(kept).expect(200);
      const [row] = await t.db.query<{ ended_reason: string }>(
        'select ended_reason from session where id = $1',
        [victimSessionId],
      );
      expect(row.ended_reason).toBe('revoked');
      const [event] = await audited('session.revoked', victimSessionId);
      expect(event.details).toEqual({ personId: janeId });
    });

    it('answers a malformed person or session id with 404 in words', async () => {
      const person = await request(t.server)
        .get('/admin/people/not-an-id/sessions')
        .set('Cookie', [admin])
        .set('Accept', 'text/html')
        .expect(404);
      expect(person.text).toContain('No person with that id');
      expect(person.text).not.toContain('uuid');
      const session = await request(t.server)
        .post('/admin/sessions/not-an-id/revoke')
        .set('Cookie', [admin])
        .set('Accept', 'text/html')
        .type('form')
        .send({ _csrf: adminCsrf })
        .expect(404);
      expect(session.text).toContain('There is no such session');
    });

    it('refuses a revocation without the CSRF token (403); the session lives on', async () => {
      const victim = await signIn(t.server, sp(), JANE);
      const { id } = await latestSession(JANE.email);
      await request(t.server)
        .post(`/admin/sessions/${id}/revoke`)
        .set('Cookie', [admin])
        .expect(403);
      await me(victim).expect(200);
    });
  });

  describe('cookie attributes over http', () => {
    it('sets the session cookie HttpOnly, SameSite=Lax, Path=/, without Secure or Domain', async () => {
      const login = await startLogin(t.server);
      const built = await testIdpResponse(sp().acsUrl, sp().spEntityId, login.requestId, JANE);
      const res = await postAcs(t.server, login.cookies, built.base64).expect(303);
      const line = setCookieLines(res).find((l) => /^attest_session=[^;]+/.test(l))!;
      expect(line).toBeDefined();
      const attributes = line
        .split(/;\s*/)
        .slice(1)
        .map((a) => a.toLowerCase());
      expect(attributes).toEqual(expect.arrayContaining(['httponly', 'samesite=lax', 'path=/']));
      expect(attributes.some((a) => a === 'secure' || a.startsWith('domain='))).toBe(false);
    });
  });
});

describe('sessions behind https (PUBLIC_URL=https://attest.example.com)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      env: { ...(await testIdpEnv()), PUBLIC_URL: 'https://attest.example.com' },
    });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('names the cookies __Host-… and marks them Secure', async () => {
    expect(t.config.saml.acsUrl).toBe('https://attest.example.com/auth/saml/acs');
    const login = await startLogin(t.server);
    expect(login.cookies.some((c) => c.startsWith('__Host-attest_login='))).toBe(true);
    const built = await testIdpResponse(
      t.config.saml.acsUrl,
      t.config.saml.spEntityId,
      login.requestId,
      JANE,
    );
    const res = await postAcs(t.server, login.cookies, built.base64).expect(303);
    const session = cookieNamed(res, '__Host-attest_session');
    expect(session).toBeDefined();
    expect(cookieNamed(res, 'attest_session')).toBeUndefined();
    const line = setCookieLines(res).find((l) => l.startsWith(`${session};`))!;
    const attributes = line
      .split(/;\s*/)
      .slice(1)
      .map((a) => a.toLowerCase());
    expect(attributes).toEqual(
      expect.arrayContaining(['httponly', 'secure', 'samesite=lax', 'path=/']),
    );
    expect(attributes.some((a) => a.startsWith('domain='))).toBe(false);

    await request(t.server).get('/me').set('Cookie', [session!]).expect(200);
    // The plain name is not read over https: a cookie planted without __Host- does nothing.
    const planted = session!.replace('__Host-attest_session=', 'attest_session=');
    await request(t.server)
      .get('/me')
      .set('Cookie', [planted])
      .set('Accept', 'text/html')
      .expect(302);
  });
});
