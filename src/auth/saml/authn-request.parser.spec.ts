import { deflateRawSync } from 'node:zlib';
import { SAML } from '@node-saml/node-saml';
import {
  inflateRedirectMessage,
  MAX_ENCODED_REDIRECT_MESSAGE,
  parseRedirectAuthnRequest,
} from './authn-request.parser';
import { SamlMessageRejected, SamlMessageTooLarge } from './saml.errors';

const SP = {
  entityId: 'https://attest.test/auth/saml/metadata',
  acsUrl: 'https://attest.test/auth/saml/acs',
};
const SSO_URL = 'https://attest.test/demo-idp/sso';

const encode = (xml: string) => deflateRawSync(Buffer.from(xml, 'utf8')).toString('base64');

function authnRequestXml(
  overrides: { root?: string; ns?: string; id?: string | null; issuer?: string } = {},
): string {
  const root = overrides.root ?? 'AuthnRequest';
  const ns = overrides.ns ?? 'urn:oasis:names:tc:SAML:2.0:protocol';
  const id = overrides.id === null ? '' : ` ID="${overrides.id ?? '_abc123'}"`;
  return (
    `<samlp:${root} xmlns:samlp="${ns}" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"${id}` +
    ` Version="2.0" IssueInstant="2026-11-23T09:00:00Z">` +
    `<saml:Issuer>${overrides.issuer ?? SP.entityId}</saml:Issuer></samlp:${root}>`
  );
}

async function samlRequestFromNodeSaml(): Promise<string> {
  const sp = new SAML({
    entryPoint: SSO_URL,
    issuer: SP.entityId,
    callbackUrl: SP.acsUrl,
    idpCert: 'unused-for-requests',
  });
  const url = new URL(await sp.getAuthorizeUrlAsync('relay', undefined, {}));
  return url.searchParams.get('SAMLRequest')!;
}

function rejectionOf(fn: () => unknown): SamlMessageRejected {
  try {
    fn();
  } catch (error) {
    if (error instanceof SamlMessageRejected) return error;
    throw error;
  }
  throw new Error('expected a SamlMessageRejected');
}

describe(parseRedirectAuthnRequest.name, () => {
  it('reads an AuthnRequest made by node-saml', async () => {
    const sut = parseRedirectAuthnRequest(await samlRequestFromNodeSaml());

    expect(sut).toEqual({
      id: expect.stringMatching(/^_/),
      issuer: SP.entityId,
      acsUrl: SP.acsUrl,
      destination: SSO_URL,
      issueInstant: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      protocolBinding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
    });
  });

  it('leaves the optional fields undefined when the SP omits them', () => {
    const sut = parseRedirectAuthnRequest(encode(authnRequestXml()));

    expect(sut.acsUrl).toBeUndefined();
    expect(sut.destination).toBeUndefined();
    expect(sut.protocolBinding).toBeUndefined();
  });

  it('refuses any DOCTYPE before parsing', () => {
    const xml = `<!DOCTYPE x [<!ENTITY e "boom">]>${authnRequestXml({ issuer: '&e;' })}`;

    expect(rejectionOf(() => parseRedirectAuthnRequest(encode(xml))).reason).toBe('doctype');
  });

  it('refuses a message that inflates beyond the limit', () => {
    const bomb = encode(authnRequestXml({ issuer: ' '.repeat(300 * 1024) }));

    const error = rejectionOf(() => parseRedirectAuthnRequest(bomb));

    expect(error).toBeInstanceOf(SamlMessageTooLarge);
    expect(error.reason).toBe('too_large');
  });

  it('refuses an encoded value over the limit without inflating it', () => {
    const error = rejectionOf(() =>
      inflateRedirectMessage('A'.repeat(MAX_ENCODED_REDIRECT_MESSAGE + 1)),
    );

    expect(error).toBeInstanceOf(SamlMessageTooLarge);
  });

  it.each([
    ['not base64', '%%%not-base64%%%', 'not base64'],
    ['not deflated', Buffer.from(authnRequestXml()).toString('base64'), 'not DEFLATE'],
    ['not well-formed', encode(authnRequestXml().replace('</samlp:', '<samlp:')), 'well-formed'],
    ['another message', encode(authnRequestXml({ root: 'LogoutRequest' })), 'not an AuthnRequest'],
    [
      'in the wrong namespace',
      encode(authnRequestXml({ ns: 'urn:not-saml' })),
      'not an AuthnRequest',
    ],
    ['without an ID', encode(authnRequestXml({ id: null })), 'ID'],
    ['with an ID that is not an NCName', encode(authnRequestXml({ id: '1bad' })), 'ID'],
    ['without an Issuer', encode(authnRequestXml({ issuer: ' ' })), 'Issuer'],
  ])('refuses a request that is %s as malformed', (_case, param, why) => {
    const error = rejectionOf(() => parseRedirectAuthnRequest(param));

    expect(error.reason).toBe('malformed');
    expect(error.message).toMatch(/^The SAML request could not be read/);
    expect(error.message).toContain(why);
  });
});

describe(inflateRedirectMessage.name, () => {
  it('returns the XML text of a Redirect-binding message', () => {
    const xml = authnRequestXml({ root: 'LogoutRequest' });

    expect(inflateRedirectMessage(encode(xml))).toBe(xml);
  });
});
