import { randomBytes } from 'node:crypto';
import { SignedXml } from 'xml-crypto';

export const NAME_ID_FORMAT_EMAIL = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
export const AUTHN_CONTEXT_PASSWORD =
  'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport';
/** SAML 2.0 defines no multi-factor class; the REFEDS MFA profile is the common identifier. */
export const AUTHN_CONTEXT_MFA = 'https://refeds.org/profile/mfa';
export const STATUS_SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';

export type SamlSignatureAlgorithm = 'sha256' | 'sha1' | 'sha512';

export interface SamlResponseInput {
  idp: { entityId: string; privateKeyPem: string; certPem: string };
  sp: { entityId: string; acsUrl: string };
  inResponseTo?: string;
  nameId: string;
  nameIdFormat?: string;
  sessionIndex?: string;
  /** A multi-valued attribute becomes several AttributeValue elements. */
  attributes: Readonly<Record<string, string | readonly string[]>>;
  authnInstant?: Date;
  authnContextClassRef?: string;
  now?: Date;
  validForSeconds?: number;
  // Test knobs: the defaults give a valid response; each one breaks a single rule.
  signResponse?: boolean;
  signAssertion?: boolean;
  signatureAlgorithm?: SamlSignatureAlgorithm;
  statusCode?: string;
  destination?: string;
  recipient?: string;
  /** Both the Response and the Assertion Issuer. */
  issuer?: string;
  audience?: string;
  /** Defaults to inResponseTo; null leaves the attribute out. */
  subjectConfirmationInResponseTo?: string | null;
  responseId?: string;
  assertionId?: string;
  issueInstant?: Date;
  /** Repeats this attribute as a second Attribute element, as a confused or hostile IdP might. */
  duplicateAttribute?: string;
}

export interface BuiltSamlResponse {
  xml: string;
  base64: string;
  responseId: string;
  assertionId: string;
}

const ALGORITHMS: Record<SamlSignatureAlgorithm, { signature: string; digest: string }> = {
  sha256: {
    signature: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    digest: 'http://www.w3.org/2001/04/xmlenc#sha256',
  },
  sha1: {
    signature: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
    digest: 'http://www.w3.org/2000/09/xmldsig#sha1',
  },
  sha512: {
    signature: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
    digest: 'http://www.w3.org/2001/04/xmlenc#sha512',
  },
};
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
const RESPONSE_XPATH = "/*[local-name(.)='Response']";
const ASSERTION_XPATH = `${RESPONSE_XPATH}/*[local-name(.)='Assertion']`;
// XML 1.0 §2.2: characters outside this set cannot appear in a document, even escaped.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** Escapes text for element content and double- or single-quoted attribute values. */
export function escapeXml(value: string): string {
  if (NOT_XML_CHAR.test(value)) throw new TypeError('Value holds a character XML cannot carry');
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#x9;')
    .replace(/\n/g, '&#xA;')
    .replace(/\r/g, '&#xD;');
}

/** An xs:ID: an NCName, so it must not start with a digit. */
export function newSamlId(): string {
  return `_${randomBytes(20).toString('hex')}`;
}

function attributeXml(name: string, value: string | readonly string[]): string {
  const values = (typeof value === 'string' ? [value] : value)
    .map((v) => `<saml:AttributeValue xsi:type="xs:string">${escapeXml(v)}</saml:AttributeValue>`)
    .join('');
  return `<saml:Attribute Name="${escapeXml(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic">${values}</saml:Attribute>`;
}

function attributeStatement(input: SamlResponseInput): string {
  const entries = Object.entries(input.attributes);
  const duplicate = input.duplicateAttribute;
  if (duplicate !== undefined) entries.push([duplicate, input.attributes[duplicate] ?? []]);
  if (entries.length === 0) return '';
  const body = entries.map(([name, value]) => attributeXml(name, value)).join('');
  return `<saml:AttributeStatement>${body}</saml:AttributeStatement>`;
}

function unsignedXml(input: SamlResponseInput, responseId: string, assertionId: string): string {
  const now = input.now ?? new Date();
  const issued = (input.issueInstant ?? now).toISOString();
  const until = new Date(now.getTime() + (input.validForSeconds ?? 300) * 1000).toISOString();
  const issuer = `<saml:Issuer>${escapeXml(input.issuer ?? input.idp.entityId)}</saml:Issuer>`;
  const inResponseTo = input.inResponseTo ? ` InResponseTo="${escapeXml(input.inResponseTo)}"` : '';
  const scdInResponseTo =
    input.subjectConfirmationInResponseTo === undefined
      ? inResponseTo
      : input.subjectConfirmationInResponseTo === null
        ? ''
        : ` InResponseTo="${escapeXml(input.subjectConfirmationInResponseTo)}"`;
  // Compact on purpose: no whitespace text nodes between elements for c14n to trip over.
  return (
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"` +
    ` ID="${escapeXml(responseId)}" Version="2.0" IssueInstant="${issued}"` +
    ` Destination="${escapeXml(input.destination ?? input.sp.acsUrl)}"${inResponseTo}>` +
    issuer +
    `<samlp:Status><samlp:StatusCode Value="${escapeXml(input.statusCode ?? STATUS_SUCCESS)}"/></samlp:Status>` +
    `<saml:Assertion xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xs="http://www.w3.org/2001/XMLSchema"` +
    ` ID="${escapeXml(assertionId)}" Version="2.0" IssueInstant="${issued}">` +
    issuer +
    `<saml:Subject>` +
    `<saml:NameID Format="${escapeXml(input.nameIdFormat ?? NAME_ID_FORMAT_EMAIL)}">${escapeXml(input.nameId)}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">` +
    `<saml:SubjectConfirmationData${scdInResponseTo} NotOnOrAfter="${until}" Recipient="${escapeXml(input.recipient ?? input.sp.acsUrl)}"/>` +
    `</saml:SubjectConfirmation>` +
    `</saml:Subject>` +
    `<saml:Conditions NotBefore="${now.toISOString()}" NotOnOrAfter="${until}">` +
    `<saml:AudienceRestriction><saml:Audience>${escapeXml(input.audience ?? input.sp.entityId)}</saml:Audience></saml:AudienceRestriction>` +
    `</saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${(input.authnInstant ?? now).toISOString()}" SessionIndex="${escapeXml(input.sessionIndex ?? newSamlId())}">` +
    `<saml:AuthnContext><saml:AuthnContextClassRef>${escapeXml(input.authnContextClassRef ?? AUTHN_CONTEXT_PASSWORD)}</saml:AuthnContextClassRef></saml:AuthnContext>` +
    `</saml:AuthnStatement>` +
    attributeStatement(input) +
    `</saml:Assertion>` +
    `</samlp:Response>`
  );
}

/** Enveloped signature placed right after the element's Issuer, as the SAML schema orders it. */
function sign(xml: string, elementXpath: string, input: SamlResponseInput): string {
  const algorithm = ALGORITHMS[input.signatureAlgorithm ?? 'sha256'];
  const signer = new SignedXml({
    privateKey: input.idp.privateKeyPem,
    publicCert: input.idp.certPem,
    signatureAlgorithm: algorithm.signature,
    canonicalizationAlgorithm: EXC_C14N,
  });
  signer.addReference({
    xpath: elementXpath,
    digestAlgorithm: algorithm.digest,
    transforms: [ENVELOPED, EXC_C14N],
  });
  signer.computeSignature(xml, {
    location: { reference: `${elementXpath}/*[local-name(.)='Issuer']`, action: 'after' },
  });
  return signer.getSignedXml();
}

/**
 * A SAML 2.0 Response for the HTTP-POST binding. The Assertion is signed first, so the
 * Response signature covers the Assertion's signature too.
 */
export function buildSamlResponse(input: SamlResponseInput): BuiltSamlResponse {
  const responseId = input.responseId ?? newSamlId();
  const assertionId = input.assertionId ?? newSamlId();
  let xml = unsignedXml(input, responseId, assertionId);
  if (input.signAssertion ?? true) xml = sign(xml, ASSERTION_XPATH, input);
  if (input.signResponse ?? true) xml = sign(xml, RESPONSE_XPATH, input);
  return { xml, base64: Buffer.from(xml, 'utf8').toString('base64'), responseId, assertionId };
}
