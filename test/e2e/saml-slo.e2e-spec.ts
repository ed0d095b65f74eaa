import { createSign, createVerify, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import request from 'supertest';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { signIn, TEST_IDP, testIdpEnv, testIdpKeys } from '../helpers/test-idp';

const SLO_URL = 'https://idp.test.example/slo';
const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';

interface LogoutRequestInput {
  nameId: string;
  sessionIndex?: string;
  issuer?: string;
  destination: string;
}

function logoutRequestXml(input: LogoutRequestInput, id = `_${randomUUID()}`): string {
  return (
    `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ` +
    `xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id}" Version="2.0" ` +
    `IssueInstant="${new Date().toISOString()}" Destination="${input.destination}">` +
    `<saml:Issuer>${input.issuer ?? TEST_IDP.entityId}</saml:Issuer>` +
    `<saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${input.nameId}</saml:NameID>` +
    (input.sessionIndex ? `<samlp:SessionIndex>${input.sessionIndex}</samlp:SessionIndex>` : '') +
    `</samlp:LogoutRequest>`
  );
}

/**
 * SAML Bindings §3.4.4.1: DEFLATE, base64, URL-encode; the signature covers the exact
 * `SAMLRequest=…&SigAlg=…` octets. `signWith` undefined sends no signature at all.
 */
function redirectQuery(xml: string, signWith: string | undefined): string {
  const encoded = deflateRawSync(Buffer.from(xml)).toString('base64');
  const signed = `SAMLRequest=${encodeURIComponent(encoded)}&SigAlg=${encodeURIComponent(RSA_SHA256)}`;
  if (!signWith) return signed;
  const signature = createSign('RSA-SHA256').update(signed).sign(signWith, 'base64');
  return `${signed}&Signature=${encodeURIComponent(signature)}`;
}

describe('SAML single logout, IdP-initiated, HTTP-Redirect binding', () => {
  let t: TestApp;
  let idpKey: string;
  let rogueKey: string;

  beforeAll(async () => {
    t = await createTestApp({ env: { ...(await testIdpEnv()), SAML_IDP_SLO_URL: SLO_URL } });
    idpKey = (await testIdpKeys()).privateKeyPem;
    rogueKey = (await testIdpKeys('Rogue IdP')).privateKeyPem;
  });

  afterAll(async () => {
    await t?.close();
  });

  let n = 0;
  /** A person signed in through the test IdP (NameID = email, SessionIndex = _session-1). */
  async function signedIn() {
    const email = `slo-${++n}@corp.example`;
    const session = await signIn(
      t.server,
      { acsUrl: t.config.saml.acsUrl, spEntityId: t.config.saml.spEntityId },
      { email },
    );
    return { email, session };
  }

  const me = (session: string) =>
    request(t.server).get('/me').set('Cookie', [session]).set('Accept', 'text/html');
  const slo = (query: string) => request(t.server).get(`/auth/saml/slo?${query}`);
  const request_ = (nameId: string, extra: Partial<LogoutRequestInput> = {}) => ({
    nameId,
    sessionIndex: '_session-1',
    destination: t.config.saml.sloCallbackUrl,
    ...extra,
  });

  async function idpLogoutEvents() {
    return t.db.query<{ details: { sessions: number } }>(
      "select details from audit_event where action = 'auth.idp_logout' order by seq",
    );
  }

  it('ends the named session and answers the IdP with a signed LogoutResponse', async () => {
    const { email, session } = await signedIn();
    await me(session).expect(200);
    const id = `_${randomUUID()}`;
    const before = (await idpLogoutEvents()).length;

    const res = await slo(redirectQuery(logoutRequestXml(request_(email), id), idpKey));
    expect(res.status).toBe(302);
    const location = new URL(res.headers.location as string);
    expect(`${location.origin}${location.pathname}`).toBe(SLO_URL);
    const samlResponse = location.searchParams.get('SAMLResponse');
    expect(samlResponse).toBeTruthy();
    const xml = inflateRawSync(Buffer.from(samlResponse!, 'base64')).toString('utf8');
    expect(xml).toContain('<samlp:LogoutResponse');
    expect(xml).toContain(`InResponseTo="${id}"`);
    expect(xml).toContain(`Destination="${SLO_URL}"`);
    expect(xml).toContain('urn:oasis:names:tc:SAML:2.0:status:Success');
    expect(xml).toContain(`<saml:Issuer>${t.config.saml.spEntityId}</saml:Issuer>`);

    // Signed by the SP over the same query string, as the IdP will check it.
    const sigAlg = location.searchParams.get('SigAlg')!;
    expect(sigAlg).toBe(RSA_SHA256);
    const spCert = readFileSync(join(t.config.dataDir, 'saml-sp', 'cert.pem'), 'utf8');
    const signedPart = `SAMLResponse=${encodeURIComponent(samlResponse!)}&SigAlg=${encodeURIComponent(sigAlg)}`;
    const signature = location.searchParams.get('Signature')!;
    expect(createVerify('RSA-SHA256').update(signedPart).verify(spCert, signature, 'base64')).toBe(
      true,
    );

    await me(session).expect(302);
    const [row] = await t.db.query<{ ended_reason: string }>(
      `select s.ended_reason from session s join person p on p.id = s.person_id where p.email = $1`,
      [email],
    );
    expect(row.ended_reason).toBe('idp_logout');
    const events = await idpLogoutEvents();
    expect(events).toHaveLength(before + 1);
    expect(events.at(-1)!.details).toEqual({ sessions: 1 });
  });

  it('leaves other people signed in', async () => {
    const target = await signedIn();
    const bystander = await signedIn();
    await slo(redirectQuery(logoutRequestXml(request_(target.email)), idpKey)).expect(302);
    await me(target.session).expect(302);
    await me(bystander.session).expect(200);
  });

  it.each<[string, (email: string) => string]>([
    [
      'signed by another key',
      (email) => redirectQuery(logoutRequestXml(request_(email)), rogueKey),
    ],
    ['not signed', (email) => redirectQuery(logoutRequestXml(request_(email)), undefined)],
    [
      'altered after signing (another NameID)',
      (email) => {
        const signed = redirectQuery(
          logoutRequestXml(request_('someone-else@corp.example')),
          idpKey,
        );
        const forged = deflateRawSync(Buffer.from(logoutRequestXml(request_(email)))).toString(
          'base64',
        );
        return signed.replace(/^SAMLRequest=[^&]+/, `SAMLRequest=${encodeURIComponent(forged)}`);
      },
    ],
    [
      'signed by the IdP but naming another issuer',
      (email) =>
        redirectQuery(
          logoutRequestXml(request_(email, { issuer: 'https://evil.example/idp' })),
          idpKey,
        ),
    ],
    [
      'signed by the IdP but addressed to another service provider',
      (email) =>
        redirectQuery(
          logoutRequestXml(request_(email, { destination: 'https://other-sp.example/slo' })),
          idpKey,
        ),
    ],
    [
      // Rule 5, as on the POST binding: refused before any XML parser, even when signed.
      'with a DOCTYPE, even signed by the IdP',
      (email) =>
        redirectQuery(`<!DOCTYPE r [<!ENTITY x "y">]>${logoutRequestXml(request_(email))}`, idpKey),
    ],
  ])('refuses a LogoutRequest %s (400); the session still works', async (_case, build) => {
    const { email, session } = await signedIn();
    const before = (await idpLogoutEvents()).length;
    const res = await slo(build(email));
    expect(res.status).toBe(400);
    expect(res.headers.location).toBeUndefined();
    expect(res.text).toContain('This logout request could not be verified.');
    await me(session).expect(200);
    expect(await idpLogoutEvents()).toHaveLength(before);
  });
});
