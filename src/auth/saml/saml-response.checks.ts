import { SamlLoginRefused } from './saml-login.errors';
import { nodes, one, parseSamlXml, textOf } from './saml-xml';

/** Limits from the sign-in hardening rules. */
export const CLOCK_SKEW_MS = 60_000;
export const MAX_ASSERTION_AGE_MS = 5 * 60_000;

const STRONG_SIGNATURES = new Set([
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256',
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384',
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512',
]);
const STRONG_DIGESTS = new Set([
  'http://www.w3.org/2001/04/xmlenc#sha256',
  'http://www.w3.org/2001/04/xmldsig-more#sha384',
  'http://www.w3.org/2001/04/xmlenc#sha512',
]);
const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';
const STATUS_SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';

export interface ExpectedResponse {
  readonly idpEntityId: string;
  readonly acsUrl: string;
  readonly now: Date;
}

/** What the checks establish about a response that passed them. */
export interface CheckedResponse {
  readonly inResponseTo: string;
  readonly assertionId: string;
  /** Until when the assertion could be replayed, were it not recorded. */
  readonly notOnOrAfter: Date;
  readonly authnInstant: Date | undefined;
  readonly authnContextClassRef: string | undefined;
}

/** The POSTed SAMLResponse, decoded, refused before any XML parser sees a DOCTYPE. */
export function decodePostedResponse(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) throw new SamlLoginRefused('malformed');
  const xml = Buffer.from(value, 'base64').toString('utf8');
  if (/<!DOCTYPE/i.test(xml)) throw new SamlLoginRefused('doctype');
  if (!xml.includes('Response')) throw new SamlLoginRefused('malformed');
  return xml;
}

function instant(value: string | null | undefined): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * The checks node-saml leaves to the application, run on a response whose Response and
 * Assertion signatures node-saml has already verified: algorithms, Destination, Recipient,
 * Issuer, InResponseTo, assertion age, a single assertion and unique attribute names.
 */
export function checkVerifiedResponse(
  responseXml: string,
  assertionXml: string,
  expected: ExpectedResponse,
): CheckedResponse {
  const response = parseSamlXml(responseXml).documentElement;
  if (response.localName !== 'Response') throw new SamlLoginRefused('malformed');
  // node-saml looks at the status only when no assertion is present (rule 6).
  if (one('samlp:Status/samlp:StatusCode', response)?.getAttribute('Value') !== STATUS_SUCCESS) {
    throw new SamlLoginRefused('status');
  }

  for (const method of nodes('//ds:SignatureMethod', response)) {
    if (!STRONG_SIGNATURES.has(method.getAttribute('Algorithm') ?? '')) {
      throw new SamlLoginRefused('weak_algorithm');
    }
  }
  for (const digest of nodes('//ds:DigestMethod', response)) {
    if (!STRONG_DIGESTS.has(digest.getAttribute('Algorithm') ?? '')) {
      throw new SamlLoginRefused('weak_algorithm');
    }
  }
  // One assertion only, and none hidden elsewhere: what was verified is all there is.
  if (
    nodes('//saml:Assertion', response).length !== 1 ||
    nodes('//saml:EncryptedAssertion', response).length > 0
  ) {
    throw new SamlLoginRefused('assertion_count');
  }
  if (response.getAttribute('Destination') !== expected.acsUrl) {
    throw new SamlLoginRefused('destination');
  }
  if (textOf(one('saml:Issuer', response)) !== expected.idpEntityId) {
    throw new SamlLoginRefused('issuer');
  }
  const inResponseTo = response.getAttribute('InResponseTo');
  if (!inResponseTo) throw new SamlLoginRefused('in_response_to_missing');

  const assertion = parseSamlXml(assertionXml).documentElement;
  if (textOf(one('saml:Issuer', assertion)) !== expected.idpEntityId) {
    throw new SamlLoginRefused('issuer');
  }
  const issued = instant(assertion.getAttribute('IssueInstant'));
  const now = expected.now.getTime();
  if (!issued || issued.getTime() > now + CLOCK_SKEW_MS) throw new SamlLoginRefused('expired');
  if (now - issued.getTime() > MAX_ASSERTION_AGE_MS + CLOCK_SKEW_MS) {
    throw new SamlLoginRefused('too_old');
  }

  const confirmation = nodes(
    `saml:Subject/saml:SubjectConfirmation[@Method='${BEARER}']/saml:SubjectConfirmationData`,
    assertion,
  ).find((data) => data.getAttribute('Recipient') === expected.acsUrl);
  if (!confirmation) throw new SamlLoginRefused('recipient');
  if (confirmation.getAttribute('InResponseTo') !== inResponseTo) {
    throw new SamlLoginRefused('in_response_to_unknown');
  }
  const notOnOrAfter = instant(confirmation.getAttribute('NotOnOrAfter'));
  if (!notOnOrAfter || notOnOrAfter.getTime() <= now - CLOCK_SKEW_MS) {
    throw new SamlLoginRefused('expired');
  }

  const names = nodes('saml:AttributeStatement/saml:Attribute', assertion).map((a) =>
    a.getAttribute('Name'),
  );
  if (new Set(names).size !== names.length) throw new SamlLoginRefused('duplicate_attribute');

  // Web Browser SSO profile (SAML profiles §4.1.4.2): the assertion states how they signed in.
  const authn = one('saml:AuthnStatement', assertion);
  if (!authn) throw new SamlLoginRefused('malformed');
  return {
    inResponseTo,
    assertionId: assertion.getAttribute('ID') ?? '',
    notOnOrAfter,
    authnInstant: instant(authn.getAttribute('AuthnInstant')),
    authnContextClassRef: textOf(one('saml:AuthnContext/saml:AuthnContextClassRef', authn)),
  };
}
