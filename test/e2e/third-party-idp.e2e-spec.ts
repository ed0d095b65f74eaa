import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { IdentityProvider } from 'samlify/types/src/entity-idp';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { cookieHeader, postAcs, sessionCookieOf, testIdpKeys } from '../helpers/test-idp';
import {
  SAMLIFY_IDP,
  samlifyIdp,
  samlifyLoginResponse,
  samlifyParseRedirect,
  samlifySpFromMetadata,
  type SamlifyUser,
} from '../helpers/samlify-idp';

/**
 * Sign-in through samlify, an independent SAML IdP implementation, against the real ACS:
 * samlify verifies Attest's signed AuthnRequest, reads Attest's SP metadata, and signs its
 * own Response and Assertion (RSA-SHA256) for Attest to accept.
 */

const AUDITOR: SamlifyUser = {
  email: 'ada.auditor@corp.example',
  displayName: 'Ada Auditor',
  groups: ['all-staff', 'attest-auditors'],
};

interface SignInOutcome {
  res: request.Response;
  xml: string;
}

/** SP-initiated login: Attest -> samlify (Redirect) -> Attest's ACS (POST). */
async function signInThroughSamlify(
  t: TestApp,
  idp: IdentityProvider,
  user: SamlifyUser,
  options: { wantMessageSigned?: boolean; stockTemplate?: boolean } = {},
): Promise<SignInOutcome> {
  const spMetadata = await request(t.server).get('/auth/saml/metadata').expect(200);
  const sp = samlifySpFromMetadata(spMetadata.text, {
    wantMessageSigned: options.wantMessageSigned ?? true,
  });

  const login = await request(t.server).get('/auth/saml/login?returnTo=/me').expect(302);
  const cookies = cookieHeader(login);
  const redirect = new URL(login.headers.location as string);
  expect(`${redirect.origin}${redirect.pathname}`).toBe(SAMLIFY_IDP.ssoUrl);

  // samlify schema-validates the AuthnRequest and verifies its Redirect-binding signature.
  const requestInfo = await samlifyParseRedirect(idp, sp, redirect);
  expect(requestInfo.sigAlg).toBe('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
  expect(requestInfo.extract.issuer).toBe(t.config.saml.spEntityId);
  expect(requestInfo.extract.request?.assertionConsumerServiceUrl).toBe(t.config.saml.acsUrl);
  expect(requestInfo.extract.request?.destination).toBe(SAMLIFY_IDP.ssoUrl);

  const built = await samlifyLoginResponse(idp, sp, requestInfo, user, options);
  expect(built.entityEndpoint).toBe(t.config.saml.acsUrl);
  const res = await postAcs(t.server, cookies, built.samlResponse);
  return { res, xml: built.xml };
}

async function expectSignedIn(t: TestApp, outcome: SignInOutcome, user: SamlifyUser) {
  expect(outcome.res.status).toBe(303);
  expect(outcome.res.headers.location).toBe('/me');
  const session = sessionCookieOf(outcome.res);
  expect(session).toBeDefined();
  const me = await request(t.server).get('/me').set('Cookie', [session!]).expect(200);
  expect(me.text).toContain(user.email);
  const [person] = await t.db.query<{ id: string; roles: string[]; full_name: string }>(
    'select id, roles, full_name from person where email = $1',
    [user.email],
  );
  expect([...person.roles].sort()).toEqual(['auditor', 'employee']);
  expect(person.full_name).toBe(user.displayName);
  // The session remembers samlify as the IdP, with what its AuthnStatement said.
  const sessions = await t.db.query<Record<string, string>>(
    'select idp_entity_id, name_id, name_id_format, session_index, authn_context_class_ref from session where person_id = $1 and ended_at is null',
    [person.id],
  );
  expect(sessions).toEqual([
    {
      idp_entity_id: SAMLIFY_IDP.entityId,
      name_id: user.email,
      name_id_format: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
      session_index: expect.stringMatching(/^_[0-9a-f-]{36}$/),
      authn_context_class_ref: 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport',
    },
  ]);
}

/** The signatures samlify put in its response: the Response's, then the Assertion's. */
function signatureParents(xml: string): string[] {
  const parents: string[] = [];
  const re =
    /<(\w+:)?(Response|Assertion)\b[^>]*>\s*<(\w+:)?Issuer[^>]*>[^<]*<\/(\w+:)?Issuer>\s*<ds:Signature/g;
  for (const match of xml.matchAll(re)) parents.push(match[2]);
  return parents;
}

describe('third-party IdP (samlify) against the real ACS', () => {
  let idp: IdentityProvider;
  let certPem: string;

  beforeAll(async () => {
    const keys = await testIdpKeys('samlify IdP');
    certPem = keys.certPem;
    idp = samlifyIdp(keys);
  });

  describe('configured with SAML_IDP_SSO_URL, SAML_IDP_ENTITY_ID and SAML_IDP_CERT', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp({
        env: {
          SAML_IDP_SSO_URL: SAMLIFY_IDP.ssoUrl,
          SAML_IDP_ENTITY_ID: SAMLIFY_IDP.entityId,
          SAML_IDP_CERT: certPem,
        },
      });
    });

    afterAll(async () => {
      await t?.close();
    });

    it('signs in with a response samlify signed twice, roles from the groups', async () => {
      const outcome = await signInThroughSamlify(t, idp, AUDITOR);
      expect(signatureParents(outcome.xml)).toEqual(['Response', 'Assertion']);
      expect(outcome.xml).not.toContain('xmldsig#rsa-sha1');
      await expectSignedIn(t, outcome, AUDITOR);
    });

    it("refuses samlify's stock response, which has no AuthnStatement", async () => {
      const plain = { ...AUDITOR, email: 'sam.stock@corp.example' };
      const outcome = await signInThroughSamlify(t, idp, plain, { stockTemplate: true });
      expect(signatureParents(outcome.xml)).toEqual(['Response', 'Assertion']);
      expect(outcome.xml).not.toContain('AuthnStatement');
      // SAML profiles §4.1.4.2: a browser SSO assertion carries an AuthnStatement.
      expect(outcome.res.status).toBe(401);
      expect(sessionCookieOf(outcome.res)).toBeUndefined();
      const [refusal] = await t.db.query<{ details: { reason: string } }>(
        "select details from audit_event where action = 'auth.login_failed' order by seq desc limit 1",
      );
      expect(refusal?.details.reason).toBe('malformed');
    });

    it('refuses a response where samlify signed only the Assertion', async () => {
      const outcome = await signInThroughSamlify(t, idp, AUDITOR, { wantMessageSigned: false });
      expect(signatureParents(outcome.xml)).toEqual(['Assertion']);
      expect(outcome.res.status).toBe(401);
      expect(sessionCookieOf(outcome.res)).toBeUndefined();
      const [refusal] = await t.db.query<{ details: { reason: string } }>(
        "select details from audit_event where action = 'auth.login_failed' order by seq desc limit 1",
      );
      expect(refusal?.details.reason).toBe('signature');
    });
  });

  describe("configured with SAML_IDP_METADATA, samlify's own IdP metadata", () => {
    let t: TestApp;
    let dir: string;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'attest-samlify-'));
      const file = join(dir, 'idp-metadata.xml');
      writeFileSync(file, idp.getMetadata());
      t = await createTestApp({ env: { SAML_IDP_METADATA: file } });
    });

    afterAll(async () => {
      await t?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('reads the entity id, SSO URL and certificate from it and signs in', async () => {
      const outcome = await signInThroughSamlify(t, idp, AUDITOR);
      expect(signatureParents(outcome.xml)).toEqual(['Response', 'Assertion']);
      await expectSignedIn(t, outcome, AUDITOR);
    });
  });
});
