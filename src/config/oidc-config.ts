import type { OidcConfig } from './app-config';
import type { ConfigIssue } from './config.error';
import type { ParsedEnv } from './config.schema';

const OIDC_VARIABLES = [
  'OIDC_CLIENT_ID',
  'OIDC_CLIENT_SECRET',
  'OIDC_CLIENT_AUTH_METHOD',
  'OIDC_CLIENT_PRIVATE_KEY_FILE',
  'OIDC_CLIENT_KEY_ID',
] as const;

/** Whether any SAML IdP setting is given (the SP-side ones have defaults and do not count). */
export function samlIdpGiven(vars: ParsedEnv): boolean {
  return [
    vars.SAML_IDP_METADATA,
    vars.SAML_IDP_SSO_URL,
    vars.SAML_IDP_ENTITY_ID,
    vars.SAML_IDP_CERT,
  ].some((value) => value !== undefined);
}

/**
 * The OpenID Provider, when OIDC_ISSUER is set. Exactly one sign-in protocol is configured:
 * OIDC_ISSUER with any SAML_IDP_* setting is refused everywhere, as two IdPs would make two
 * bindings for one person. Problems are pushed onto `issues`; values are never quoted.
 */
export function oidcFrom(
  vars: ParsedEnv,
  issues: ConfigIssue[],
  isProduction: boolean,
  publicUrl: string,
): OidcConfig | undefined {
  if (!vars.OIDC_ISSUER) {
    for (const variable of OIDC_VARIABLES) {
      if (vars[variable] !== undefined) {
        issues.push({ variable, problem: 'is set but OIDC_ISSUER is not: set OIDC_ISSUER too' });
      }
    }
    return undefined;
  }
  if (samlIdpGiven(vars)) {
    issues.push({
      variable: 'OIDC_ISSUER',
      problem:
        'cannot be combined with SAML_IDP_METADATA or SAML_IDP_SSO_URL/SAML_IDP_ENTITY_ID/SAML_IDP_CERT: configure one sign-in protocol, SAML or OpenID Connect',
    });
  }
  const issuer = new URL(vars.OIDC_ISSUER);
  if (issuer.protocol !== 'https:' && isProduction) {
    issues.push({ variable: 'OIDC_ISSUER', problem: 'must be an https URL in production' });
  }
  if (issuer.search || issuer.hash) {
    // OpenID Connect Discovery 1.0 §2: the issuer has no query or fragment.
    issues.push({ variable: 'OIDC_ISSUER', problem: 'must not have a query or fragment' });
  }
  if (!vars.OIDC_CLIENT_ID) {
    issues.push({ variable: 'OIDC_CLIENT_ID', problem: 'is required with OIDC_ISSUER' });
  }
  const method =
    vars.OIDC_CLIENT_AUTH_METHOD ??
    (vars.OIDC_CLIENT_PRIVATE_KEY_FILE ? 'private_key_jwt' : 'client_secret_basic');
  if (method === 'private_key_jwt') {
    if (!vars.OIDC_CLIENT_PRIVATE_KEY_FILE) {
      issues.push({
        variable: 'OIDC_CLIENT_PRIVATE_KEY_FILE',
        problem: 'is required for private_key_jwt: the path of a PEM (PKCS#8) private key',
      });
    }
    if (vars.OIDC_CLIENT_SECRET) {
      issues.push({
        variable: 'OIDC_CLIENT_SECRET',
        problem: 'cannot be combined with private_key_jwt: set one way to authenticate the client',
      });
    }
  } else {
    if (!vars.OIDC_CLIENT_SECRET) {
      issues.push({
        variable: 'OIDC_CLIENT_SECRET',
        problem: `is required for ${method} (or set OIDC_CLIENT_PRIVATE_KEY_FILE for private_key_jwt)`,
      });
    }
    if (vars.OIDC_CLIENT_PRIVATE_KEY_FILE) {
      issues.push({
        variable: 'OIDC_CLIENT_PRIVATE_KEY_FILE',
        problem: `cannot be combined with ${method}: set one way to authenticate the client`,
      });
    }
  }
  return Object.freeze({
    issuer: vars.OIDC_ISSUER,
    clientId: vars.OIDC_CLIENT_ID ?? '',
    clientAuthMethod: method,
    clientSecret: vars.OIDC_CLIENT_SECRET,
    clientPrivateKeyFile: vars.OIDC_CLIENT_PRIVATE_KEY_FILE,
    clientKeyId: vars.OIDC_CLIENT_KEY_ID,
    redirectUri: `${publicUrl}/auth/oidc/callback`,
    scopes: vars.OIDC_SCOPES,
    claims: Object.freeze({
      email: vars.OIDC_EMAIL_CLAIM,
      name: vars.OIDC_NAME_CLAIM,
      groups: vars.OIDC_GROUPS_CLAIM,
    }),
    // OpenID Connect Core §5.1, §5.7: an email the provider has not verified could be anyone's,
    // and before the first sign-in binds `iss` + `sub` the email is what selects the person.
    requireEmailVerified: vars.OIDC_REQUIRE_EMAIL_VERIFIED ?? true,
    allowInsecureIssuer: !isProduction && issuer.protocol === 'http:',
  });
}
