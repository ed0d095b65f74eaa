import { randomUUID } from 'node:crypto';
import * as samlify from 'samlify';
import type { IdentityProvider } from 'samlify/types/src/entity-idp';
import type { ServiceProvider } from 'samlify/types/src/entity-sp';
import type { FlowResult } from 'samlify/types/src/flow';
import type { RequestInfo } from 'samlify/types/src/types';
import type { TestIdpKeys } from './test-idp';

/**
 * samlify (an independent SAML implementation) in the IdP role, to show that Attest
 * interoperates with an IdP it did not write. Nothing here comes from Attest's own builder.
 */

// The pure-WASM xmllint validator: samlify refuses to parse anything without a schema validator.
// require(): the package ships no type declarations.
const xmllint = require('@authenio/samlify-xmllint-wasm') as {
  validate(xml: string): Promise<unknown>;
};
samlify.setSchemaValidator({ validate: (xml: string) => xmllint.validate(xml) });

export const SAMLIFY_IDP = {
  entityId: 'https://samlify-idp.test.example/metadata',
  ssoUrl: 'https://samlify-idp.test.example/sso',
  sloUrl: 'https://samlify-idp.test.example/slo',
};

const { redirect } = samlify.Constants.namespace.binding;
const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const EMAIL_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';

/**
 * samlify's default template has an empty AuthnStatement and one value per attribute; this one
 * is the same Response with an AuthnStatement and multi-valued attributes. samlify signs it.
 */
const TEMPLATE =
  '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="{ID}" Version="2.0" IssueInstant="{IssueInstant}" Destination="{Destination}" InResponseTo="{InResponseTo}">' +
  '<saml:Issuer>{Issuer}</saml:Issuer><samlp:Status><samlp:StatusCode Value="{StatusCode}"/></samlp:Status>' +
  '<saml:Assertion xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xs="http://www.w3.org/2001/XMLSchema" ID="{AssertionID}" Version="2.0" IssueInstant="{IssueInstant}">' +
  '<saml:Issuer>{Issuer}</saml:Issuer>' +
  '<saml:Subject><saml:NameID Format="{NameIDFormat}">{NameID}</saml:NameID>' +
  '<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="{NotOnOrAfter}" Recipient="{Recipient}" InResponseTo="{InResponseTo}"/></saml:SubjectConfirmation></saml:Subject>' +
  '<saml:Conditions NotBefore="{IssueInstant}" NotOnOrAfter="{NotOnOrAfter}"><saml:AudienceRestriction><saml:Audience>{Audience}</saml:Audience></saml:AudienceRestriction></saml:Conditions>' +
  '<saml:AuthnStatement AuthnInstant="{IssueInstant}" SessionIndex="{SessionIndex}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>' +
  '__ATTRIBUTES__</saml:Assertion></samlp:Response>';

const escapeXml = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function attributeStatement(attributes: Record<string, string | string[]>): string {
  const body = Object.entries(attributes)
    .map(
      ([name, value]) =>
        `<saml:Attribute Name="${escapeXml(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic">` +
        (Array.isArray(value) ? value : [value])
          .map(
            (v) =>
              `<saml:AttributeValue xsi:type="xs:string">${escapeXml(v)}</saml:AttributeValue>`,
          )
          .join('') +
        '</saml:Attribute>',
    )
    .join('');
  return `<saml:AttributeStatement>${body}</saml:AttributeStatement>`;
}

/** A samlify IdP that signs with `keys` (RSA-SHA256) and wants AuthnRequests signed. */
export function samlifyIdp(keys: TestIdpKeys): IdentityProvider {
  return samlify.IdentityProvider({
    entityID: SAMLIFY_IDP.entityId,
    privateKey: keys.privateKeyPem,
    signingCert: keys.certPem,
    requestSignatureAlgorithm: RSA_SHA256,
    nameIDFormat: [EMAIL_FORMAT],
    singleSignOnService: [{ Binding: redirect, Location: SAMLIFY_IDP.ssoUrl }],
    singleLogoutService: [{ Binding: redirect, Location: SAMLIFY_IDP.sloUrl }],
    wantAuthnRequestsSigned: true,
    loginResponseTemplate: { context: TEMPLATE, attributes: [] },
  });
}

/**
 * The IdP's view of Attest, read by samlify from Attest's own SP metadata. samlify signs the
 * Assertion when the SP wants assertions signed, and the Response too when `wantMessageSigned`.
 */
export function samlifySpFromMetadata(
  spMetadataXml: string,
  options: { wantMessageSigned: boolean },
): ServiceProvider {
  return samlify.ServiceProvider({
    metadata: spMetadataXml,
    wantMessageSigned: options.wantMessageSigned,
  });
}

/** samlify parses and verifies an HTTP-Redirect AuthnRequest, given the redirect URL. */
export function samlifyParseRedirect(
  idp: IdentityProvider,
  sp: ServiceProvider,
  redirectUrl: URL,
): Promise<FlowResult> {
  const query = Object.fromEntries(redirectUrl.searchParams);
  // The signed octets are the query as sent, without the Signature parameter.
  const octetString = redirectUrl.search
    .slice(1)
    .split('&')
    .filter((part) => !part.startsWith('Signature='))
    .join('&');
  return idp.parseLoginRequest(sp, 'redirect', { query, octetString });
}

export interface SamlifyUser {
  email: string;
  displayName: string;
  groups: string[];
}

/** samlify's signed login response (HTTP-POST binding), as the base64 SAMLResponse. */
export async function samlifyLoginResponse(
  idp: IdentityProvider,
  sp: ServiceProvider,
  requestInfo: FlowResult,
  user: SamlifyUser,
  options: { stockTemplate?: boolean } = {},
): Promise<{ samlResponse: string; xml: string; entityEndpoint: string }> {
  // Addressed from what samlify read in Attest's SP metadata, not from Attest's config.
  const acsUrl = sp.entityMeta.getAssertionConsumerService('post');
  if (typeof acsUrl !== 'string') throw new Error('samlify found no HTTP-POST ACS in the metadata');
  const requestId = requestInfo.extract.request?.id;
  if (typeof requestId !== 'string') throw new Error('samlify extracted no AuthnRequest ID');
  const customTagReplacement = (template: string) => {
    const now = new Date();
    const id = `_${randomUUID()}`;
    const xml = samlify.SamlLib.replaceTagsByValue(template, {
      ID: id,
      AssertionID: `_${randomUUID()}`,
      IssueInstant: now.toISOString(),
      NotOnOrAfter: new Date(now.getTime() + 5 * 60_000).toISOString(),
      Destination: acsUrl,
      Recipient: acsUrl,
      Audience: sp.entityMeta.getEntityID(),
      InResponseTo: requestId,
      Issuer: idp.entityMeta.getEntityID(),
      StatusCode: samlify.Constants.StatusCode.Success,
      NameIDFormat: EMAIL_FORMAT,
      NameID: user.email,
      SessionIndex: `_${randomUUID()}`,
    }).replace(
      '__ATTRIBUTES__',
      attributeStatement({ email: user.email, displayName: user.displayName, groups: user.groups }),
    );
    return { id, context: xml };
  };
  // The stock template: samlify fills every value itself (no AuthnStatement, no attributes).
  const result = await idp.createLoginResponse(
    sp,
    { extract: requestInfo.extract } satisfies RequestInfo,
    'post',
    { email: user.email }, // the stock template's NameID; the custom one sets its own
    options.stockTemplate ? {} : { customTagReplacement },
  );
  const { context, entityEndpoint } = result as { context: string; entityEndpoint: string };
  return {
    samlResponse: context,
    xml: Buffer.from(context, 'base64').toString('utf8'),
    entityEndpoint,
  };
}
