import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import type { Clock } from '../../common/clock';
import { parseIdpMetadata } from '../saml/idp-metadata.parser';
import { AUTHN_CONTEXT_MFA, AUTHN_CONTEXT_PASSWORD } from '../saml/saml-response.builder';
import { SamlMessageRejected } from '../saml/saml.errors';
import { type DemoIdpKeys, loadOrCreateDemoIdpKeys } from './demo-idp.keys';
import { type DemoIdpOptions, demoIdpEntityId, demoIdpSsoUrl } from './demo-idp.options';
import { DemoIdpService } from './demo-idp.service';
import { DEMO_PERSONAS } from './demo-personas';

const PUBLIC_URL = 'http://localhost:3000';

function demoIdpOptions(dataDir: string): DemoIdpOptions {
  return {
    publicUrl: PUBLIC_URL,
    dataDir,
    spEntityId: `${PUBLIC_URL}/auth/saml/metadata`,
    acsUrl: `${PUBLIC_URL}/auth/saml/acs`,
  };
}

/** Attest's side, as node-saml: it makes the AuthnRequest and validates the answer. */
function serviceProvider(
  options: DemoIdpOptions,
  idpCert: string,
  overrides: { issuer?: string; callbackUrl?: string } = {},
): SAML {
  return new SAML({
    entryPoint: demoIdpSsoUrl(options.publicUrl),
    issuer: overrides.issuer ?? options.spEntityId,
    callbackUrl: overrides.callbackUrl ?? options.acsUrl,
    audience: options.spEntityId,
    idpCert,
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: true,
    acceptedClockSkewMs: 60_000,
    // Stricter than the brief's `never`: the answer must match the request node-saml issued.
    validateInResponseTo: ValidateInResponseTo.always,
  });
}

async function samlRequestFrom(sp: SAML): Promise<string> {
  const url = new URL(await sp.getAuthorizeUrlAsync('relay-1', undefined, {}));
  return url.searchParams.get('SAMLRequest')!;
}

function reasonOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof SamlMessageRejected) return error.reason;
    throw error;
  }
  return 'accepted';
}

describe(DemoIdpService.name, () => {
  let dataDir: string;
  let options: DemoIdpOptions;
  let keys: DemoIdpKeys;
  let now: Date;
  let sut: DemoIdpService;
  let sp: SAML;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'attest-demo-idp-'));
    options = demoIdpOptions(dataDir);
    keys = await loadOrCreateDemoIdpKeys(dataDir);
    sp = serviceProvider(options, keys.certPem);
  });

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  beforeEach(() => {
    now = new Date();
    sut = new DemoIdpService(options, keys, { now: () => now } as Clock);
  });

  it('offers every persona for a request from Attest, carrying the request along', async () => {
    const samlRequest = await samlRequestFrom(sp);

    const view = sut.review(samlRequest, 'relay-1');

    expect(view.samlRequest).toBe(samlRequest);
    expect(view.relayState).toBe('relay-1');
    expect(view.personas.map((p) => p.id)).toEqual(DEMO_PERSONAS.map((p) => p.id));
  });

  it('signs a persona in with a response node-saml accepts for that request', async () => {
    const persona = DEMO_PERSONAS.find((p) => p.id === 'hr-manager')!;

    const view = sut.signIn(persona.id, await samlRequestFrom(sp), 'relay-1');
    const { profile } = await sp.validatePostResponseAsync({ SAMLResponse: view.samlResponse });

    expect(view.acsUrl).toBe(options.acsUrl);
    expect(view.relayState).toBe('relay-1');
    expect(profile?.issuer).toBe(demoIdpEntityId(PUBLIC_URL));
    expect(profile?.nameID).toBe(persona.email);
    expect(profile?.email).toBe(persona.email);
    expect(profile?.['groups']).toEqual(['all-staff', 'attest-hr']);
    expect(profile?.['country']).toBe(persona.country);
    expect(profile?.['employeeNumber']).toBe(persona.employeeNumber);
    expect(profile?.getAssertionXml?.()).toContain(AUTHN_CONTEXT_MFA);
  });

  it('reports a password sign-in for a persona without MFA, and the new hire starts today', async () => {
    now = new Date('2026-11-23T10:00:00Z');
    const samlRequest = await samlRequestFrom(serviceProvider(options, keys.certPem));

    const xml = Buffer.from(
      sut.signIn('new-hire', samlRequest, undefined).samlResponse,
      'base64',
    ).toString();

    expect(xml).toContain(AUTHN_CONTEXT_PASSWORD);
    expect(xml).toContain('>2026-11-23</saml:AttributeValue>');
  });

  it('refuses a request from another service provider, on review and again on sign-in', async () => {
    const foreign = await samlRequestFrom(
      serviceProvider(options, keys.certPem, { issuer: 'https://evil.test/sp' }),
    );

    expect(reasonOf(() => sut.review(foreign, undefined))).toBe('unknown_issuer');
    expect(reasonOf(() => sut.signIn('admin', foreign, undefined))).toBe('unknown_issuer');
  });

  it('refuses a request that asks for the response at another address', async () => {
    const redirected = await samlRequestFrom(
      serviceProvider(options, keys.certPem, { callbackUrl: 'https://evil.test/acs' }),
    );

    expect(reasonOf(() => sut.signIn('admin', redirected, undefined))).toBe('acs_mismatch');
  });

  it('publishes metadata Attest can configure itself from', () => {
    const metadata = parseIdpMetadata(sut.metadata());

    expect(metadata).toEqual({
      entityId: demoIdpEntityId(PUBLIC_URL),
      ssoUrl: demoIdpSsoUrl(PUBLIC_URL),
      sloUrl: undefined,
      certs: [expect.stringContaining('-----BEGIN CERTIFICATE-----')],
    });
    expect(metadata.certs[0].replace(/\s+/g, '')).toBe(keys.certPem.replace(/\s+/g, ''));
  });
});
