import request from 'supertest';
import { VERIFY_LIMIT_PER_MINUTE } from '../../src/attestations/verify.controller';
import { parseRedirectAuthnRequest } from '../../src/auth/saml/authn-request.parser';
import { formPostingTo } from '../helpers/html-forms';
import { hiddenCsrfToken } from '../helpers/role-sessions';
import { createTestApp, type TestApp } from '../helpers/test-app';
import {
  sessionCookieOf,
  testIdpEnv,
  testIdpResponse,
  type PersonaClaims,
} from '../helpers/test-idp';

const CLIENT_A = '203.0.113.10';
const CLIENT_B = '198.51.100.20';
const NAME = 'Ada Proxy';
const JANE: PersonaClaims = { email: 'ada.proxy@corp.example', displayName: NAME };

async function auditIps(t: TestApp, action: string): Promise<(string | null)[]> {
  const rows = await t.db.query<{ ip: string | null }>(
    'select ip from audit_event where action = $1 order by seq',
    [action],
  );
  return rows.map((r) => r.ip);
}

/** Signs in through the SAML flow with every request coming through the proxy for `client`. */
async function signInVia(t: TestApp, client: string): Promise<string> {
  const login = await request(t.server)
    .get('/auth/saml/login?returnTo=%2Fme')
    .set('X-Forwarded-For', client)
    .expect(302);
  const cookies = (login.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]);
  const samlRequest = new URL(login.headers.location as string).searchParams.get('SAMLRequest');
  const { id } = parseRedirectAuthnRequest(samlRequest ?? '');
  const built = await testIdpResponse(t.config.saml.acsUrl, t.config.saml.spEntityId, id, JANE);
  const res = await request(t.server)
    .post('/auth/saml/acs')
    .set('Cookie', cookies)
    .set('X-Forwarded-For', client)
    .type('form')
    .send({ SAMLResponse: built.base64 })
    .expect(303);
  return sessionCookieOf(res)!;
}

describe('the real client behind a proxy (TRUST_PROXY)', () => {
  describe('without TRUST_PROXY', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp({ env: { ...(await testIdpEnv()), AUTH_RATE_LIMIT: '3' } });
    });

    afterAll(async () => {
      await t?.close();
    });

    it('ignores X-Forwarded-For: a client cannot buy a fresh budget by writing the header', async () => {
      for (const client of ['192.0.2.1', '192.0.2.2', '192.0.2.3']) {
        await request(t.server).get('/auth/saml/login').set('X-Forwarded-For', client).expect(302);
      }
      const res = await request(t.server)
        .get('/auth/saml/login')
        .set('X-Forwarded-For', '192.0.2.4')
        .set('Accept', 'text/html');
      expect(res.status).toBe(429);
      const [ip] = await auditIps(t, 'auth.rate_limited');
      expect(ip).not.toMatch(/^192\.0\.2\./);
      expect(ip).toMatch(/127\.0\.0\.1|::1/);
    });
  });

  describe('with TRUST_PROXY=loopback (the proxy is on this host)', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp({
        env: { ...(await testIdpEnv()), AUTH_RATE_LIMIT: '3', TRUST_PROXY: 'loopback' },
      });
    });

    afterAll(async () => {
      await t?.close();
    });

    it('gives each forwarded client its own sign-in budget, and audits a refusal once per client', async () => {
      const login = (client: string) =>
        request(t.server)
          .get('/auth/saml/login')
          .set('X-Forwarded-For', client)
          .set('Accept', 'text/html');
      for (let i = 0; i < 3; i++) await login(CLIENT_A).expect(302);
      for (let i = 0; i < 4; i++) expect((await login(CLIENT_A)).status).toBe(429);
      // Client A spent its budget; client B, behind the same proxy, still signs in.
      await login(CLIENT_B).expect(302);
      // Four refusals, one event: the append-only log does not grow per request.
      expect(await auditIps(t, 'auth.rate_limited')).toEqual([CLIENT_A]);
    });

    it('records the forwarded client on the session, the sign-in event and the signature', async () => {
      const client = '192.0.2.77';
      const session = await signInVia(t, client);
      const [row] = await t.db.query<{ ip: string }>(
        'select s.ip from session s join person p on p.id = s.person_id where p.email = $1',
        [JANE.email],
      );
      expect(row.ip).toBe(client);
      // Every audit event recorded while serving a request names its client.
      expect(await auditIps(t, 'auth.login_succeeded')).toEqual([client]);

      const browse = (path: string) =>
        request(t.server)
          .get(path)
          .set('Cookie', [session])
          .set('X-Forwarded-For', client)
          .set('Accept', 'text/html')
          .expect(200);
      const csrf = hiddenCsrfToken((await browse('/me')).text);
      const post = (path: string, form: Record<string, string>) =>
        request(t.server)
          .post(path)
          .set('Cookie', [session])
          .set('X-Forwarded-For', client)
          .set('Accept', 'text/html')
          .type('form')
          .send({ _csrf: csrf, ...form });
      await post('/documents/consent', { agree: 'yes', next: '/me' }).expect(303);
      const nda = formPostingTo((await browse('/documents/nda')).text, /signatures$/);
      await post(nda.action, {
        intent: 'yes',
        typedName: NAME,
        submission: nda.hidden.submission,
      }).expect(303);
      const [signature] = await t.db.query<{ ip: string }>(
        'select s.ip from signature s join person p on p.id = s.person_id where p.email = $1',
        [JANE.email],
      );
      expect(signature.ip).toBe(client);
      const signed = await t.db.query<{
        ip: string;
        user_agent: string | null;
        request_id: string;
      }>(
        "select ip, user_agent, request_id from audit_event where action in ('esign.consented', 'document.viewed', 'document.signed') order by seq",
      );
      expect(signed.length).toBeGreaterThan(0);
      for (const event of signed) {
        expect(event.ip).toBe(client);
        expect(event.request_id).toMatch(/^[0-9a-f-]{36}$/);
      }
    });

    it('audits a public verification once per attestation per client per hour', async () => {
      const [{ id }] = await t.db.query<{ id: string }>('select id from attestation limit 1');
      const verify = (client: string) =>
        request(t.server)
          .get(`/verify/${id}`)
          .set('X-Forwarded-For', client)
          .set('Accept', 'text/html');
      for (let i = 0; i < 5; i++) await verify(CLIENT_A).expect(200);
      await verify(CLIENT_B).expect(200);
      await verify(CLIENT_B).expect(200);
      expect(await auditIps(t, 'attestation.verified')).toEqual([CLIENT_A, CLIENT_B]);
    });

    it('rate limits public verification per client, apart from the sign-in budget', async () => {
      const client = '192.0.2.200';
      const verify = () =>
        request(t.server)
          .get('/verify/00000000-0000-4000-8000-000000000000')
          .set('X-Forwarded-For', client)
          .set('Accept', 'text/html');
      for (let i = 0; i < VERIFY_LIMIT_PER_MINUTE; i++) expect((await verify()).status).toBe(422);
      const refused = await verify();
      expect(refused.status).toBe(429);
      expect(refused.headers['retry-after']).toMatch(/^\d+$/);
      // An upload over the limit is refused before its body is read.
      const upload = await request(t.server)
        .post('/verify')
        .set('X-Forwarded-For', client)
        .set('Accept', 'text/html')
        .attach('file', Buffer.from('%PDF-1.7\n'), {
          filename: 'a.pdf',
          contentType: 'application/pdf',
        });
      expect(upload.status).toBe(429);
      // The verification budget is its own: the same client may still sign in.
      await request(t.server).get('/auth/saml/login').set('X-Forwarded-For', client).expect(302);
    });
  });
});
