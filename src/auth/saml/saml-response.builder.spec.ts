import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import { generate } from 'selfsigned';
import {
  AUTHN_CONTEXT_PASSWORD,
  buildSamlResponse,
  escapeXml,
  type SamlResponseInput,
} from './saml-response.builder';

const SP = {
  entityId: 'https://attest.test/auth/saml/metadata',
  acsUrl: 'https://attest.test/auth/saml/acs',
};

interface TestKeys {
  privateKeyPem: string;
  certPem: string;
}

async function makeKeys(commonName: string): Promise<TestKeys> {
  const pems = await generate([{ name: 'commonName', value: commonName }], {
    keySize: 2048,
    algorithm: 'sha256',
  });
  return { privateKeyPem: pems.private, certPem: pems.cert };
}

function serviceProvider(idpCert: string): SAML {
  return new SAML({
    callbackUrl: SP.acsUrl,
    entryPoint: 'https://idp.test/sso',
    issuer: SP.entityId,
    audience: SP.entityId,
    idpCert,
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: true,
    acceptedClockSkewMs: 60_000,
    validateInResponseTo: ValidateInResponseTo.never,
  });
}

describe(buildSamlResponse.name, () => {
  let keys: TestKeys;
  let sp: SAML;

  const input = (overrides: Partial<SamlResponseInput> = {}): SamlResponseInput => ({
    idp: { entityId: 'https://idp.test/metadata', ...keys },
    sp: SP,
    inResponseTo: '_request1',
    nameId: 'ada@example.test',
    attributes: {
      email: 'ada@example.test',
      displayName: 'Ada <Lovelace> & Co',
      groups: ['all-staff', 'attest-hr'],
    },
    ...overrides,
  });
  const validate = (base64: string) => sp.validatePostResponseAsync({ SAMLResponse: base64 });

  beforeAll(async () => {
    keys = await makeKeys('Builder test IdP');
    sp = serviceProvider(keys.certPem);
  });

  it('builds a response node-saml accepts, with the subject and attributes intact', async () => {
    const sut = buildSamlResponse(input());

    const { profile } = await validate(sut.base64);

    expect(profile?.nameID).toBe('ada@example.test');
    expect(profile?.email).toBe('ada@example.test');
    expect(profile?.['displayName']).toBe('Ada <Lovelace> & Co');
    expect(profile?.['groups']).toEqual(['all-staff', 'attest-hr']);
    expect(profile?.inResponseTo).toBe('_request1');
    expect(profile?.issuer).toBe('https://idp.test/metadata');
  });

  it('signs the Assertion and the Response with RSA-SHA256 and addresses the ACS', () => {
    const sut = buildSamlResponse(input());

    expect(sut.responseId).toMatch(/^_[0-9a-f]{40}$/);
    expect(sut.assertionId).toMatch(/^_[0-9a-f]{40}$/);
    expect(sut.xml.match(/xmldsig-more#rsa-sha256/g)).toHaveLength(2);
    expect(sut.xml.match(/xmlenc#sha256/g)).toHaveLength(2);
    expect(sut.xml).toContain(`Destination="${SP.acsUrl}"`);
    expect(sut.xml).toContain(`Recipient="${SP.acsUrl}"`);
    expect(sut.xml).toContain(`<saml:Audience>${SP.entityId}</saml:Audience>`);
    expect(sut.xml).toContain(AUTHN_CONTEXT_PASSWORD);
    expect(Buffer.from(sut.base64, 'base64').toString('utf8')).toBe(sut.xml);
  });

  it('refuses a response whose attribute was changed after signing', async () => {
    const signed = buildSamlResponse(input());
    const tampered = signed.xml.replace('>attest-hr<', '>attest-admins<');
    expect(tampered).not.toBe(signed.xml);

    await expect(validate(Buffer.from(tampered).toString('base64'))).rejects.toThrow(/signature/i);
  });

  it('is refused when only the Assertion is signed', async () => {
    const sut = buildSamlResponse(input({ signResponse: false }));

    await expect(validate(sut.base64)).rejects.toThrow(/signature/i);
  });

  it('is refused when signed by a key the SP does not trust', async () => {
    const other = await makeKeys('Untrusted IdP');
    const sut = buildSamlResponse(
      input({ idp: { entityId: 'https://idp.test/metadata', ...other } }),
    );

    await expect(validate(sut.base64)).rejects.toThrow(/signature/i);
  });

  it('uses the SHA-1 or SHA-512 algorithm pair when asked', () => {
    const sha1 = buildSamlResponse(input({ signatureAlgorithm: 'sha1' })).xml;
    const sha512 = buildSamlResponse(input({ signatureAlgorithm: 'sha512' })).xml;

    expect(sha1.match(/xmldsig#rsa-sha1"/g)).toHaveLength(2);
    expect(sha1.match(/xmldsig#sha1"/g)).toHaveLength(2);
    expect(sha512.match(/xmldsig-more#rsa-sha512"/g)).toHaveLength(2);
    expect(sha512.match(/xmlenc#sha512"/g)).toHaveLength(2);
  });

  it('applies the overrides for negative tests', () => {
    const sut = buildSamlResponse(
      input({
        destination: 'https://evil.test/acs',
        recipient: 'https://evil.test/recipient',
        issuer: 'https://evil.test/idp',
        audience: 'urn:evil',
        subjectConfirmationInResponseTo: null,
        responseId: '_response',
        assertionId: '_assertion',
        statusCode: 'urn:oasis:names:tc:SAML:2.0:status:Responder',
        issueInstant: new Date('2020-01-01T00:00:00Z'),
        duplicateAttribute: 'groups',
        signResponse: false,
        signAssertion: false,
      }),
    ).xml;

    expect(sut).toContain('Destination="https://evil.test/acs"');
    expect(sut).toContain('Recipient="https://evil.test/recipient"');
    expect(sut.match(/<saml:Issuer>https:\/\/evil.test\/idp<\/saml:Issuer>/g)).toHaveLength(2);
    expect(sut).toContain('<saml:Audience>urn:evil</saml:Audience>');
    expect(sut).toContain('ID="_response"');
    expect(sut).toContain('ID="_assertion"');
    expect(sut).toContain('status:Responder');
    expect(sut).toContain('IssueInstant="2020-01-01T00:00:00.000Z"');
    expect(sut).not.toContain('<ds:Signature');
    expect(sut).not.toMatch(/SubjectConfirmationData[^>]*InResponseTo/);
    expect(sut).toMatch(/<samlp:Response[^>]*InResponseTo="_request1"/);
    expect(sut.match(/Name="groups"/g)).toHaveLength(2);
  });

  it('escapes every interpolated value', () => {
    const sut = buildSamlResponse(
      input({ nameId: "\"><x y='1'/>&", signResponse: false, signAssertion: false }),
    ).xml;

    expect(sut).toContain('>&quot;&gt;&lt;x y=&apos;1&apos;/&gt;&amp;</saml:NameID>');
    expect(() => escapeXml('nul\u0000')).toThrow(TypeError);
  });
});
