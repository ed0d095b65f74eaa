import { ValidateInResponseTo, type PassportSamlConfig } from '@node-saml/passport-saml';
import type { AppConfig } from '../../config/app-config';
import type { IdentityProvider } from './identity-provider';
import { CLOCK_SKEW_MS, MAX_ASSERTION_AGE_MS } from './saml-response.checks';
import type { SpKeys } from './sp-keys';

/** node-saml settings shared by the login redirect, the ACS strategy and single logout. */
export function samlOptions(
  config: AppConfig,
  idp: IdentityProvider,
  spKeys: SpKeys | undefined,
): PassportSamlConfig {
  return {
    entryPoint: idp.ssoUrl,
    logoutUrl: idp.sloUrl ?? idp.ssoUrl,
    logoutCallbackUrl: config.saml.sloCallbackUrl,
    issuer: config.saml.spEntityId,
    callbackUrl: config.saml.acsUrl,
    audience: config.saml.spEntityId,
    idpCert: [...idp.certs],
    idpIssuer: idp.entityId,
    // Rule 1: both the Response and the Assertion must carry a valid signature.
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: true,
    acceptedClockSkewMs: CLOCK_SKEW_MS,
    maxAssertionAgeMs: MAX_ASSERTION_AGE_MS,
    // InResponseTo is enforced by the app: atomically consumed and bound to the browser.
    validateInResponseTo: ValidateInResponseTo.never,
    identifierFormat: null,
    disableRequestedAuthnContext: true,
    signatureAlgorithm: 'sha256',
    digestAlgorithm: 'sha256',
    privateKey: spKeys?.privateKeyPem,
    publicCert: spKeys?.certPem,
    passReqToCallback: true,
  };
}
