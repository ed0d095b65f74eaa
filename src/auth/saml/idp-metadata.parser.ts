import { DOMParser } from '@xmldom/xmldom';
import xpath from 'xpath';
import { OperatorError } from '../../common/errors/operator.error';
import { certificatesIn, pemFromBase64 } from './pem';

export interface IdpMetadata {
  entityId: string;
  ssoUrl: string;
  sloUrl: string | undefined;
  certs: string[];
}

const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const select = xpath.useNamespaces({
  md: 'urn:oasis:names:tc:SAML:2.0:metadata',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
});

function attr(node: unknown, name: string): string | undefined {
  return (node as Element | undefined)?.getAttribute(name) ?? undefined;
}

/** Reads the entity id, Redirect-binding SSO/SLO endpoints and signing certificates. */
export function parseIdpMetadata(xml: string): IdpMetadata {
  const fail = (why: string) => new OperatorError(`SAML_IDP_METADATA ${why}`);
  if (/<!DOCTYPE/i.test(xml)) throw fail('must not contain a DOCTYPE.');
  const doc = new DOMParser({
    errorHandler: {
      error: () => {
        throw fail('is not well-formed XML.');
      },
      fatalError: () => {
        throw fail('is not well-formed XML.');
      },
    },
  }).parseFromString(xml, 'text/xml');
  const entity = select('//md:EntityDescriptor[md:IDPSSODescriptor]', doc, true);
  const entityId = attr(entity, 'entityID');
  if (!entityId) throw fail('has no EntityDescriptor with an IDPSSODescriptor and entityID.');
  const sso = select(
    `//md:IDPSSODescriptor/md:SingleSignOnService[@Binding='${REDIRECT}']`,
    doc,
    true,
  );
  const ssoUrl = attr(sso, 'Location');
  if (!ssoUrl) throw fail('has no SingleSignOnService with the HTTP-Redirect binding.');
  const slo = select(
    `//md:IDPSSODescriptor/md:SingleLogoutService[@Binding='${REDIRECT}']`,
    doc,
    true,
  );
  const bodies = select(
    "//md:IDPSSODescriptor/md:KeyDescriptor[not(@use) or @use='signing']//ds:X509Certificate/text()",
    doc,
  ) as Node[];
  const certs = bodies.flatMap((n) =>
    certificatesIn(pemFromBase64(n.nodeValue ?? ''), 'SAML_IDP_METADATA'),
  );
  if (certs.length === 0) throw fail('has no signing certificate.');
  return { entityId, ssoUrl, sloUrl: attr(slo, 'Location'), certs };
}
