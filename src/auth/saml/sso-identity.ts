import type { Profile } from '@node-saml/passport-saml';
import { Role } from '../../access/role';
import type { SamlConfig } from '../../config/app-config';
import { BIDI_CONTROL, withoutBidiControls } from '../../people/person-fields';
import { SamlLoginRefused } from './saml-login.errors';
import type { CheckedResponse } from './saml-response.checks';

const EMAIL_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Authentication contexts (SAML AuthnContextClassRef, OIDC `acr`) that name more than one factor. */
export const MFA_CONTEXTS =
  /multifactor|multi-factor|mfa|refeds\.org\/profile\/mfa|TimeSyncToken|Smartcard/i;

/**
 * Who the IdP says signed in, and how: everything Attest keeps from a SAML response or an
 * OpenID Connect ID token. For OIDC, `idpEntityId` is the issuer (`iss`), `nameId` the subject
 * (`sub`, OpenID Connect Core §2: unique and never reassigned within the issuer), `sessionIndex`
 * the `sid` claim, `authnInstant` the `auth_time`, `authnContextClassRef` the `acr`.
 */
export interface SsoIdentity {
  /** The sign-in protocol: named in the audit log and the session. */
  readonly protocol: 'saml' | 'oidc';
  readonly email: string;
  readonly displayName: string;
  readonly nameId: string;
  readonly nameIdFormat: string | undefined;
  readonly sessionIndex: string | undefined;
  readonly roles: readonly Role[];
  readonly department: string | undefined;
  readonly country: string | undefined;
  readonly managerEmail: string | undefined;
  readonly startDate: string | undefined;
  readonly idpEntityId: string;
  readonly authnInstant: Date | undefined;
  readonly authnContextClassRef: string | undefined;
  /** True or false when the IdP says; undefined when it does not. */
  readonly mfa: boolean | undefined;
  /** Attributes that arrived with directional formatting characters, which were removed. */
  readonly strippedAttributes: readonly StrippableAttribute[];
}

export type StrippableAttribute = 'displayName' | 'department' | 'managerEmail';

/** An identity that passed every check of its protocol, and where the person was going. */
export interface SsoLogin {
  readonly identity: SsoIdentity;
  readonly returnTo: string;
}

function values(profile: Profile, name: string): string[] {
  const raw = (profile.attributes as Record<string, unknown> | undefined)?.[name];
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.filter((v): v is string => typeof v === 'string').map((v) => v.trim());
}

function first(profile: Profile, name: string, maxLength: number): string | undefined {
  const value = values(profile, name)[0];
  return value ? value.slice(0, maxLength) : undefined;
}

/** Everyone is an employee; IdP groups add roles through ROLE_MAP. */
export function rolesFromGroups(groups: readonly string[], roleMap: SamlConfig['roleMap']): Role[] {
  const roles = new Set<Role>([Role.Employee]);
  for (const group of groups) for (const role of roleMap.get(group) ?? []) roles.add(role);
  return [...roles].sort();
}

export function ssoIdentityFrom(
  profile: Profile,
  checked: CheckedResponse,
  saml: SamlConfig,
): SsoIdentity | undefined {
  const names = saml.attributes;
  const email = (
    first(profile, names.email, 320) ??
    (profile.nameIDFormat === EMAIL_FORMAT ? profile.nameID : undefined)
  )?.toLowerCase();
  if (!email || !EMAIL.test(email)) return undefined;
  // The email and NameID are who the person is: one that reads otherwise than it is stored is
  // refused, never repaired.
  if (BIDI_CONTROL.test(email) || BIDI_CONTROL.test(profile.nameID)) {
    throw new SamlLoginRefused('bidi_control');
  }
  // Names and departments are shown to others: directional formatting characters could make
  // them read as someone else's, so they are removed (and the removal audited) rather than
  // locking the person out over what the IdP's directory holds.
  const stripped: StrippableAttribute[] = [];
  const clean = (attribute: StrippableAttribute, value: string | undefined) => {
    if (value === undefined || !BIDI_CONTROL.test(value)) return value;
    stripped.push(attribute);
    return withoutBidiControls(value).trim() || undefined;
  };
  const country = first(profile, names.country, 3)?.toUpperCase();
  const startDate = first(profile, names.startDate, 11);
  const acr = checked.authnContextClassRef;
  const displayName = clean('displayName', first(profile, names.displayName, 200));
  const department = clean('department', first(profile, names.department, 200));
  const managerEmail = clean('managerEmail', first(profile, names.managerEmail, 320));
  return {
    protocol: 'saml',
    email,
    displayName: displayName ?? email,
    nameId: profile.nameID,
    nameIdFormat: profile.nameIDFormat,
    sessionIndex: profile.sessionIndex,
    roles: rolesFromGroups(values(profile, names.groups), saml.roleMap),
    department,
    country: country && /^[A-Z]{2}$/.test(country) ? country : undefined,
    managerEmail: managerEmail?.toLowerCase(),
    startDate: startDate && /^\d{4}-\d{2}-\d{2}$/.test(startDate) ? startDate : undefined,
    idpEntityId: profile.issuer,
    authnInstant: checked.authnInstant,
    authnContextClassRef: acr,
    mfa: acr ? MFA_CONTEXTS.test(acr) : undefined,
    strippedAttributes: stripped,
  };
}
