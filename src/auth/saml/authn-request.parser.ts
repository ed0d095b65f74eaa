import { inflateRawSync } from 'node:zlib';
import { DOMParser } from '@xmldom/xmldom';
import { SamlMessageRejected, SamlMessageTooLarge } from './saml.errors';

/** Limits for HTTP-Redirect messages: the encoded query value and the inflated XML. */
export const MAX_ENCODED_REDIRECT_MESSAGE = 64 * 1024;
export const MAX_INFLATED_REDIRECT_MESSAGE = 256 * 1024;

const SAMLP = 'urn:oasis:names:tc:SAML:2.0:protocol';
const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
// xs:ID is an NCName; anything else cannot come from a conforming SP.
const NCNAME = /^[A-Za-z_][\w.-]*$/;

export interface ParsedAuthnRequest {
  id: string;
  issuer: string;
  /** AssertionConsumerServiceURL, when the SP names one. */
  acsUrl: string | undefined;
  destination: string | undefined;
  issueInstant: string;
  protocolBinding: string | undefined;
}

const malformed = (why: string) =>
  new SamlMessageRejected('malformed', `The SAML request could not be read: ${why}.`);

/**
 * SAML Bindings §3.4.4.1: the value is base64 of the DEFLATE-compressed (raw, no zlib header)
 * XML. Inflation is capped so a small request cannot expand into a memory exhaustion.
 */
export function inflateRedirectMessage(param: string): string {
  if (param.length > MAX_ENCODED_REDIRECT_MESSAGE) {
    throw new SamlMessageTooLarge(MAX_ENCODED_REDIRECT_MESSAGE);
  }
  const encoded = param.replace(/[\r\n]/g, '');
  if (!BASE64.test(encoded)) throw malformed('it is not base64');
  try {
    return inflateRawSync(Buffer.from(encoded, 'base64'), {
      maxOutputLength: MAX_INFLATED_REDIRECT_MESSAGE,
    }).toString('utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new SamlMessageTooLarge(MAX_INFLATED_REDIRECT_MESSAGE);
    }
    throw malformed('it is not DEFLATE-compressed');
  }
}

/** A DOCTYPE could declare entities (XXE, billion laughs); SAML never needs one. */
function parseStrictly(xml: string): Document {
  if (/<!DOCTYPE/i.test(xml)) {
    throw new SamlMessageRejected(
      'doctype',
      'The SAML request contains a DOCTYPE, so it was refused.',
    );
  }
  const fail = () => {
    throw malformed('it is not well-formed XML');
  };
  const doc = new DOMParser({
    errorHandler: { warning: () => undefined, error: fail, fatalError: fail },
  }).parseFromString(xml, 'text/xml') as unknown as Document;
  if (!doc?.documentElement) throw malformed('it is empty');
  return doc;
}

function childIssuer(root: Element): string | undefined {
  const issuer = Array.from(root.childNodes as Iterable<Node>).find(
    (node) =>
      node.nodeType === 1 &&
      (node as Element).namespaceURI === SAML &&
      (node as Element).localName === 'Issuer',
  );
  return issuer?.textContent?.trim() || undefined;
}

/** Decodes an HTTP-Redirect SAMLRequest and reads what the IdP needs to answer it. */
export function parseRedirectAuthnRequest(samlRequestParam: string): ParsedAuthnRequest {
  const root = parseStrictly(inflateRedirectMessage(samlRequestParam)).documentElement;
  if (root.localName !== 'AuthnRequest' || root.namespaceURI !== SAMLP) {
    throw malformed('it is not an AuthnRequest');
  }
  if (root.getAttribute('Version') !== '2.0') throw malformed('it is not SAML 2.0');
  const id = root.getAttribute('ID');
  if (!id || !NCNAME.test(id)) throw malformed('its ID is missing or invalid');
  const issuer = childIssuer(root);
  if (!issuer) throw malformed('it names no Issuer');
  const issueInstant = root.getAttribute('IssueInstant');
  if (!issueInstant) throw malformed('it has no IssueInstant');
  return {
    id,
    issuer,
    acsUrl: root.getAttribute('AssertionConsumerServiceURL') || undefined,
    destination: root.getAttribute('Destination') || undefined,
    issueInstant,
    protocolBinding: root.getAttribute('ProtocolBinding') || undefined,
  };
}
