import { generate } from 'selfsigned';
import { OperatorError } from '../../common/errors/operator.error';
import { parseIdpMetadata } from './idp-metadata.parser';
import { certificatesIn } from './pem';

const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';

function body(pem: string): string {
  return pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
}

function metadata(certs: string[], extra = ''): string {
  const keys = certs
    .map(
      (c) =>
        `<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${body(c)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`,
    )
    .join('');
  return `<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="https://idp.example.com">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    ${keys}
    <md:SingleLogoutService Binding="${REDIRECT}" Location="https://idp.example.com/slo"/>
    <md:SingleSignOnService Binding="${POST}" Location="https://idp.example.com/sso-post"/>
    <md:SingleSignOnService Binding="${REDIRECT}" Location="https://idp.example.com/sso"/>
    ${extra}
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`;
}

describe(parseIdpMetadata.name, () => {
  let certs: string[];

  beforeAll(async () => {
    certs = await Promise.all(
      ['one', 'two'].map(async (cn) => {
        const pems = await generate([{ name: 'commonName', value: cn }], {
          keySize: 2048,
          algorithm: 'sha256',
        });
        return pems.cert;
      }),
    );
  }, 30_000);

  it('reads the entity id, the Redirect-binding endpoints and every signing certificate', () => {
    const sut = parseIdpMetadata(metadata(certs));
    expect(sut.entityId).toBe('https://idp.example.com');
    expect(sut.ssoUrl).toBe('https://idp.example.com/sso');
    expect(sut.sloUrl).toBe('https://idp.example.com/slo');
    expect(sut.certs.map(body)).toEqual(certs.map(body));
  });

  it.each([
    ['a DOCTYPE', `<!DOCTYPE x [<!ENTITY e "e">]>${metadata(['x'])}`, /DOCTYPE/],
    ['broken XML', '<md:EntityDescriptor', /well-formed|EntityDescriptor/],
    ['no signing certificate', metadata([]), /signing certificate/],
  ])('refuses metadata with %s', (_case, xml, message) => {
    expect(() => parseIdpMetadata(xml)).toThrow(OperatorError);
    expect(() => parseIdpMetadata(xml)).toThrow(message);
  });
});

describe(certificatesIn.name, () => {
  it('finds both certificates of a rollover bundle and refuses a non-certificate', async () => {
    const pems = await Promise.all(
      ['a', 'b'].map((cn) =>
        generate([{ name: 'commonName', value: cn }], { keySize: 2048, algorithm: 'sha256' }),
      ),
    );
    expect(certificatesIn(`${pems[0].cert}\n${pems[1].cert}`, 'SAML_IDP_CERT')).toHaveLength(2);
    expect(() => certificatesIn('not a certificate', 'SAML_IDP_CERT')).toThrow(/SAML_IDP_CERT/);
  }, 30_000);
});
