import type { SamlConfig, OidcConfig } from '../../config/app-config';
import { BIDI_CONTROL, withoutBidiControls } from '../../people/person-fields';
import {
  MFA_CONTEXTS,
  rolesFromGroups,
  type SsoIdentity,
  type StrippableAttribute,
} from '../saml/sso-identity';
import type { IdTokenClaims } from './oidc-client';
import { OidcLoginRefused } from './oidc-login.errors';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * RFC 8176 §2 methods that are a possession or inherence factor, or name several factors.
 * `pwd`, `kba`, `pin` alone are one factor a person knows.
 */
const MFA_METHODS = new Set([
  'mfa',
  'otp',
  'hwk',
  'swk',
  'sc',
  'sms',
  'tel',
  'fpt',
  'face',
  'iris',
  'retina',
  'vbm',
  'pop',
]);

function text(claims: IdTokenClaims, name: string, maxLength: number): string | undefined {
  const value = claims[name];
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed ? trimmed.slice(0, maxLength) : undefined;
}

function strings(value: unknown): string[] {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
  return list.filter((v): v is string => typeof v === 'string').map((v) => v.trim());
}

/**
 * Whether the person used more than one factor: from `amr` (RFC 8176) when the provider sends
 * it, else from an `acr` that names multi-factor; undefined when the provider says neither.
 */
export function mfaFrom(amr: unknown, acr: string | undefined): boolean | undefined {
  const methods = strings(amr);
  if (methods.some((m) => MFA_METHODS.has(m))) return true;
  if (acr && MFA_CONTEXTS.test(acr)) return true;
  if (methods.length > 0) return false;
  return acr ? false : undefined;
}

/**
 * The identity in a verified ID token. `iss` and `sub` are who the person is (OpenID Connect
 * Core §5.7: the email claim is not a stable identifier, so it selects a person only until the
 * first sign-in binds `iss` + `sub`). An email the provider does not say is verified is refused,
 * unless OIDC_REQUIRE_EMAIL_VERIFIED=false (for providers that never send the claim).
 */
export function ssoIdentityFromClaims(
  claims: IdTokenClaims,
  oidc: OidcConfig,
  roleMap: SamlConfig['roleMap'],
): SsoIdentity {
  const email = text(claims, oidc.claims.email, 320)?.toLowerCase();
  if (!email || !EMAIL.test(email)) throw new OidcLoginRefused('no_email');
  // OpenID Connect Core §2: `sub` is at most 255 ASCII characters; never cut an identifier.
  if (claims.sub.length > 255) throw new OidcLoginRefused('invalid_response', 'sub too long');
  // OpenID Connect Core §5.1: only `true` says the provider checked the address is theirs. A
  // provider that never sends the claim (Entra ID) is accepted only when the operator says so.
  const verified = claims.email_verified;
  if (verified === false || (verified !== true && oidc.requireEmailVerified)) {
    throw new OidcLoginRefused('email_unverified');
  }
  if (BIDI_CONTROL.test(email) || BIDI_CONTROL.test(claims.sub)) {
    throw new OidcLoginRefused('bidi_control');
  }
  const stripped: StrippableAttribute[] = [];
  const rawName = text(claims, oidc.claims.name, 200);
  let displayName = rawName;
  if (rawName && BIDI_CONTROL.test(rawName)) {
    stripped.push('displayName');
    displayName = withoutBidiControls(rawName).trim() || undefined;
  }
  const acr = text(claims, 'acr', 256);
  const authTime =
    typeof claims.auth_time === 'number' ? new Date(claims.auth_time * 1000) : undefined;
  return {
    protocol: 'oidc',
    email,
    displayName: displayName ?? email,
    nameId: claims.sub,
    nameIdFormat: undefined,
    sessionIndex: text(claims, 'sid', 256),
    roles: rolesFromGroups(strings(claims[oidc.claims.groups]), roleMap),
    department: undefined,
    country: undefined,
    managerEmail: undefined,
    startDate: undefined,
    idpEntityId: claims.iss,
    authnInstant: authTime && !Number.isNaN(authTime.getTime()) ? authTime : undefined,
    authnContextClassRef: acr,
    mfa: mfaFrom(claims.amr, acr),
    strippedAttributes: stripped,
  };
}
