import request from 'supertest';
import type { SamlResponseInput } from '../../src/auth/saml/saml-response.builder';
import { createTestApp, type TestApp } from '../helpers/test-app';
import {
  postAcs,
  sessionCookieOf,
  startLogin,
  testIdpEnv,
  testIdpKeys,
  testIdpResponse,
  TEST_IDP,
} from '../helpers/test-idp';

const JANE = { email: 'jane@corp.example', displayName: 'Jane Example', groups: ['all-staff'] };

describe('SAML ACS: every rule, through the real passport-saml strategy', () => {
  let t: TestApp;
  let acsUrl: string;
  let spEntityId: string;

  beforeAll(async () => {
    t = await createTestApp({ env: await testIdpEnv() });
    acsUrl = t.config.saml.acsUrl;
    spEntityId = t.config.saml.spEntityId;
  });

  afterAll(async () => {
    await t?.close();
  });

  async function lastRefusalReason(): Promise<string | undefined> {
    const rows = await t.db.query<{ details: { reason: string } }>(
      "select details from audit_event where action = 'auth.login_failed' order by seq desc limit 1",
    );
    return rows[0]?.details.reason;
  }

  /** Starts a login, answers it with `overrides` applied, and posts it. */
  async function attempt(overrides: Partial<SamlResponseInput> = {}, claims = JANE) {
    const login = await startLogin(t.server);
    const built = await testIdpResponse(acsUrl, spEntityId, login.requestId, claims, overrides);
    const res = await postAcs(t.server, login.cookies, built.base64);
    return { login, built, res };
  }

  async function expectRefused(res: request.Response, reason: string): Promise<void> {
    expect(res.status).toBe(401);
    expect(sessionCookieOf(res)).toBeUndefined();
    expect(res.text).toContain('Sign-in did not complete');
    expect(await lastRefusalReason()).toBe(reason);
  }

  it('signs in with a valid response: session cookie, then /me shows the email', async () => {
    const { res } = await attempt();
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/me');
    const session = sessionCookieOf(res);
    expect(session).toBeDefined();
    const me = await request(t.server).get('/me').set('Cookie', [session!]).expect(200);
    expect(me.text).toContain(JANE.email);
  });

  describe('rule 1: signatures', () => {
    it.each<[string, Partial<SamlResponseInput>, string]>([
      ['an unsigned Response', { signResponse: false }, 'signature'],
      ['an unsigned Assertion', { signAssertion: false }, 'signature'],
      ['nothing signed', { signResponse: false, signAssertion: false }, 'signature'],
      ['RSA-SHA1 signatures', { signatureAlgorithm: 'sha1' }, 'weak_algorithm'],
    ])('refuses %s', async (_case, overrides, reason) => {
      const { res } = await attempt(overrides);
      await expectRefused(res, reason);
    });

    it('refuses a response signed by another key', async () => {
      const login = await startLogin(t.server);
      const rogue = await testIdpKeys('Rogue IdP');
      const built = await testIdpResponse(acsUrl, spEntityId, login.requestId, JANE, {
        idp: { entityId: TEST_IDP.entityId, ...rogue },
      });
      await expectRefused(await postAcs(t.server, login.cookies, built.base64), 'signature');
    });

    it('refuses a signed response whose attribute was altered afterwards', async () => {
      const login = await startLogin(t.server);
      const built = await testIdpResponse(acsUrl, spEntityId, login.requestId, JANE);
      const altered = built.xml.replace('all-staff', 'attest-admins');
      expect(altered).not.toBe(built.xml);
      const res = await postAcs(t.server, login.cookies, Buffer.from(altered).toString('base64'));
      await expectRefused(res, 'signature');
    });

    it('refuses signature wrapping: a forged assertion beside the signed one', async () => {
      const login = await startLogin(t.server);
      const built = await testIdpResponse(acsUrl, spEntityId, login.requestId, JANE);
      const signedAssertion = built.xml.match(/<saml:Assertion[\s\S]*<\/saml:Assertion>/)![0];
      const forged = signedAssertion
        .replace(/ ID="[^"]+"/, ' ID="_forged"')
        .replace(/<ds:Signature[\s\S]*?<\/ds:Signature>/, '')
        .replace(JANE.email, 'mallory@corp.example');
      const wrapped = built.xml.replace(signedAssertion, `${forged}${signedAssertion}`);
      const res = await postAcs(t.server, login.cookies, Buffer.from(wrapped).toString('base64'));
      expect(res.status).toBe(401);
      expect(sessionCookieOf(res)).toBeUndefined();
    });
  });

  describe('rule 2: audience, recipient, destination, issuer', () => {
    it.each<[string, Partial<SamlResponseInput>, string]>([
      ['another audience', { audience: 'https://other-sp.example' }, 'audience'],
      ['another Recipient', { recipient: 'https://evil.example/acs' }, 'recipient'],
      ['another Destination', { destination: 'https://evil.example/acs' }, 'destination'],
      ['another Issuer', { issuer: 'https://evil.example/idp' }, 'issuer'],
    ])('refuses %s', async (_case, overrides, reason) => {
      const { res } = await attempt(overrides);
      await expectRefused(res, reason);
    });
  });

  describe('rule 3: InResponseTo, bound to the browser, consumed once', () => {
    it('refuses an unsolicited response (no InResponseTo)', async () => {
      const login = await startLogin(t.server);
      const built = await testIdpResponse(acsUrl, spEntityId, undefined, JANE);
      await expectRefused(
        await postAcs(t.server, login.cookies, built.base64),
        'in_response_to_missing',
      );
    });

    it('refuses an InResponseTo that Attest never issued', async () => {
      const login = await startLogin(t.server);
      const built = await testIdpResponse(acsUrl, spEntityId, '_never-issued', JANE);
      await expectRefused(
        await postAcs(t.server, login.cookies, built.base64),
        'in_response_to_unknown',
      );
    });

    it('refuses a response posted from another browser than the one that started the login', async () => {
      const victim = await startLogin(t.server);
      const attacker = await startLogin(t.server);
      const built = await testIdpResponse(acsUrl, spEntityId, victim.requestId, JANE);
      await expectRefused(
        await postAcs(t.server, attacker.cookies, built.base64),
        'in_response_to_unknown',
      );
    });

    it('lets exactly one of two identical responses posted at once create a session', async () => {
      const login = await startLogin(t.server);
      const built = await testIdpResponse(acsUrl, spEntityId, login.requestId, JANE);
      const results = await Promise.all([
        postAcs(t.server, login.cookies, built.base64),
        postAcs(t.server, login.cookies, built.base64),
      ]);
      expect(results.map((r) => r.status).sort((a, b) => a - b)).toEqual([303, 401]);
      expect(results.filter((r) => sessionCookieOf(r)).length).toBe(1);
    });
  });

  describe('rule 4: assertions are single-use and fresh', () => {
    it('refuses a replayed assertion under a new login', async () => {
      const first = await attempt();
      expect(first.res.status).toBe(303);
      const again = await startLogin(t.server);
      const replayed = await testIdpResponse(acsUrl, spEntityId, again.requestId, JANE, {
        assertionId: first.built.assertionId,
      });
      await expectRefused(await postAcs(t.server, again.cookies, replayed.base64), 'replay');
    });

    it('refuses an assertion issued more than five minutes ago', async () => {
      const issued = new Date(Date.now() - 7 * 60_000);
      const { res } = await attempt({ issueInstant: issued, now: issued, validForSeconds: 3600 });
      expect(res.status).toBe(401);
      expect(sessionCookieOf(res)).toBeUndefined();
      expect(['too_old', 'expired']).toContain(await lastRefusalReason());
    });

    it('refuses an expired assertion', async () => {
      const { res } = await attempt({
        now: new Date(Date.now() - 20 * 60_000),
        validForSeconds: 60,
      });
      expect(res.status).toBe(401);
      expect(sessionCookieOf(res)).toBeUndefined();
    });
  });

  describe('rule 5: refused before the XML parser', () => {
    it('refuses a DOCTYPE', async () => {
      const login = await startLogin(t.server);
      const built = await testIdpResponse(acsUrl, spEntityId, login.requestId, JANE);
      const withDoctype = built.xml.replace(
        '<samlp:Response',
        '<!DOCTYPE r [<!ENTITY x "y">]><samlp:Response',
      );
      const res = await postAcs(
        t.server,
        login.cookies,
        Buffer.from(withDoctype).toString('base64'),
      );
      await expectRefused(res, 'doctype');
    });

    it('answers 413 to a body over 100 kB', async () => {
      const res = await postAcs(t.server, [], 'A'.repeat(110 * 1024));
      expect(res.status).toBe(413);
    });

    it('refuses a Redirect-binding message that inflates past 256 kB', async () => {
      const { deflateRawSync } = await import('node:zlib');
      const bomb = deflateRawSync(Buffer.from(`<samlp:LogoutRequest>${'a'.repeat(300 * 1024)}`));
      const res = await request(t.server)
        .get('/auth/saml/slo')
        .query({ SAMLRequest: bomb.toString('base64'), Signature: 'x', SigAlg: 'x' });
      expect(res.status).toBe(400);
    });
  });

  describe('rule 6: attributes and status', () => {
    it('refuses duplicate attribute names', async () => {
      const { res, built } = await attempt({ duplicateAttribute: 'email' });
      expect(built.xml.match(/Name="email"/g)).toHaveLength(2);
      await expectRefused(res, 'duplicate_attribute');
    });

    it('refuses a non-Success status, even with a signed assertion', async () => {
      const { res } = await attempt({
        statusCode: 'urn:oasis:names:tc:SAML:2.0:status:Responder',
      });
      await expectRefused(res, 'status');
    });
  });

  describe('rule 7: RelayState and returnTo', () => {
    it.each([
      ['/me?tab=history', '/me?tab=history'],
      ['https://evil.example/', '/me'],
      ['//evil.example/x', '/me'],
      ['/\\evil.example', '/me'],
      ['/.//evil.example', '/me'],
      ['/a/..//evil.example', '/me'],
      ['/%2e//evil.example', '/me'],
      ['/documents/./nda', '/documents/nda'],
    ])('returnTo %s leads to %s', async (returnTo, expected) => {
      const login = await startLogin(t.server, returnTo);
      const built = await testIdpResponse(acsUrl, spEntityId, login.requestId, JANE);
      const res = await postAcs(t.server, login.cookies, built.base64);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(expected);
    });
  });

  describe('rule 8: sessions', () => {
    it('issues a new session id at sign-in, even over an existing session', async () => {
      const first = await attempt();
      const old = sessionCookieOf(first.res)!;
      const login = await startLogin(t.server, '/me', [old]);
      const built = await testIdpResponse(acsUrl, spEntityId, login.requestId, JANE);
      const res = await postAcs(t.server, [...login.cookies, old], built.base64);
      const fresh = sessionCookieOf(res);
      expect(fresh).toBeDefined();
      expect(fresh).not.toBe(old);
    });

    it('redirects an anonymous page visit to sign-in with returnTo', async () => {
      const res = await request(t.server).get('/me').set('Accept', 'text/html').expect(302);
      expect(res.headers.location).toBe('/auth/saml/login?returnTo=%2Fme');
    });
  });

  describe('just-in-time provisioning', () => {
    it('creates the person at first sign-in and recomputes roles at every sign-in', async () => {
      const hr = {
        email: 'harriet@corp.example',
        displayName: 'Harriet HR',
        groups: ['attest-hr'],
      };
      const first = await attempt({}, hr);
      expect(first.res.status).toBe(303);
      const firstSession = sessionCookieOf(first.res)!;
      const [person] = await t.db.query<{ roles: string[] }>(
        'select roles from person where email = $1',
        [hr.email],
      );
      expect(person.roles.sort()).toEqual(['employee', 'hr']);
      // Sign-in derived what applies to them from the requirements file.
      const assignments = await t.db.query<{ requirement_id: string }>(
        `select requirement_id from requirement_assignment
           where person_id = (select id from person where email = $1)`,
        [hr.email],
      );
      expect(assignments.map((a) => a.requirement_id)).toEqual(
        expect.arrayContaining(['employee-nda', 'training-phishing']),
      );

      const demoted = await attempt({}, { ...hr, groups: ['all-staff'] });
      expect(demoted.res.status).toBe(303);
      const [after] = await t.db.query<{ roles: string[] }>(
        'select roles from person where email = $1',
        [hr.email],
      );
      expect(after.roles).toEqual(['employee']);
      // The role change ended the earlier session.
      await request(t.server)
        .get('/me')
        .set('Cookie', [firstSession])
        .set('Accept', 'text/html')
        .expect(302);
      const changes = await t.db.query(
        "select 1 from audit_event where action = 'person.roles_changed'",
      );
      expect(changes.length).toBeGreaterThanOrEqual(1);
    });
  });
});
