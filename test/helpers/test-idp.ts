import { generate } from 'selfsigned';
import request, { type Response } from 'supertest';
import type { App } from 'supertest/types';
import { parseRedirectAuthnRequest } from '../../src/auth/saml/authn-request.parser';
import {
  buildSamlResponse,
  type BuiltSamlResponse,
  type SamlResponseInput,
} from '../../src/auth/saml/saml-response.builder';

export interface TestIdpKeys {
  privateKeyPem: string;
  certPem: string;
}

const keyCache = new Map<string, Promise<TestIdpKeys>>();

/** An RSA-2048 key and self-signed certificate, made once per name per test file. */
export function testIdpKeys(name = 'Test IdP'): Promise<TestIdpKeys> {
  let keys = keyCache.get(name);
  if (!keys) {
    keys = generate([{ name: 'commonName', value: name }], {
      keySize: 2048,
      algorithm: 'sha256',
    }).then((pems) => ({ privateKeyPem: pems.private, certPem: pems.cert }));
    keyCache.set(name, keys);
  }
  return keys;
}

export const TEST_IDP = {
  entityId: 'https://idp.test.example/metadata',
  ssoUrl: 'https://idp.test.example/sso',
};

/** The environment that points Attest at the test IdP. */
export async function testIdpEnv(): Promise<Record<string, string>> {
  const keys = await testIdpKeys();
  return {
    SAML_IDP_SSO_URL: TEST_IDP.ssoUrl,
    SAML_IDP_ENTITY_ID: TEST_IDP.entityId,
    SAML_IDP_CERT: keys.certPem,
  };
}

export interface StartedLogin {
  /** The browser's cookies after GET /auth/saml/login (the login binding). */
  cookies: string[];
  requestId: string;
  redirect: URL;
}

export function cookieHeader(res: Response): string[] {
  const raw = res.headers['set-cookie'] as unknown as string[] | undefined;
  return (raw ?? []).map((c) => c.split(';')[0]);
}

export function sessionCookieOf(res: Response): string | undefined {
  return cookieHeader(res).find((c) => c.startsWith('attest_session=') && c.length > 16);
}

/** GET /auth/saml/login as a browser would, returning its cookie and the AuthnRequest id. */
export async function startLogin(server: App, returnTo = '/me', cookies: string[] = []) {
  const res = await request(server)
    .get(`/auth/saml/login?returnTo=${encodeURIComponent(returnTo)}`)
    .set('Cookie', cookies)
    .expect(302);
  const redirect = new URL(res.headers.location as string);
  const parsed = parseRedirectAuthnRequest(redirect.searchParams.get('SAMLRequest') ?? '');
  const fresh = cookieHeader(res);
  return { cookies: fresh.length > 0 ? fresh : cookies, requestId: parsed.id, redirect };
}

export interface PersonaClaims {
  email: string;
  displayName?: string;
  groups?: string[];
  attributes?: Record<string, string | string[]>;
}

/** A response from the test IdP answering `inResponseTo`, valid unless `overrides` break it. */
export async function testIdpResponse(
  acsUrl: string,
  spEntityId: string,
  inResponseTo: string | undefined,
  claims: PersonaClaims,
  overrides: Partial<SamlResponseInput> = {},
): Promise<BuiltSamlResponse> {
  const keys = await testIdpKeys();
  return buildSamlResponse({
    idp: { entityId: TEST_IDP.entityId, ...keys },
    sp: { entityId: spEntityId, acsUrl },
    inResponseTo,
    nameId: claims.email,
    sessionIndex: '_session-1',
    attributes: {
      email: claims.email,
      displayName: claims.displayName ?? 'Test Person',
      groups: claims.groups ?? ['all-staff'],
      ...claims.attributes,
    },
    ...overrides,
  });
}

/** POSTs a SAMLResponse to the ACS as the browser holding `cookies`. */
export function postAcs(server: App, cookies: string[], samlResponse: string) {
  return request(server)
    .post('/auth/saml/acs')
    .set('Cookie', cookies)
    .type('form')
    .send({ SAMLResponse: samlResponse });
}

/** Signs in through the full SAML flow with the test IdP; returns the session cookie. */
export async function signIn(
  server: App,
  sp: { acsUrl: string; spEntityId: string },
  claims: PersonaClaims,
): Promise<string> {
  const login = await startLogin(server);
  const built = await testIdpResponse(sp.acsUrl, sp.spEntityId, login.requestId, claims);
  const res = await postAcs(server, login.cookies, built.base64);
  const session = sessionCookieOf(res);
  if (res.status !== 303 || !session) {
    throw new Error(`sign-in failed with ${res.status}: ${res.text.slice(0, 200)}`);
  }
  return session;
}
