import { type Person, PersonStatus } from '../people/person.entity';
import { invalidValue } from './scim.errors';
import { ATTEST_USER, CORE_USER, ENTERPRISE_USER } from './scim-schemas';

/** A SCIM resource as JSON: attribute names as the client spelled them. */
export type ScimResource = Record<string, unknown>;

/**
 * What a SCIM User says about a person, in Attest's terms. `undefined`: the resource does not
 * say (leave the field as it is); `null`: the resource clears it.
 */
export interface ScimUserInput {
  userName?: string;
  externalId?: string | null;
  active?: boolean;
  fullName?: string;
  email?: string;
  jobTitle?: string | null;
  employeeNumber?: string | null;
  department?: string | null;
  /** The manager's SCIM id (a person id). */
  managerId?: string | null;
  startDate?: string | null;
  endDate?: string | null;
  employmentType?: string | null;
  country?: string | null;
  region?: string | null;
}

/** The person as a SCIM User (RFC 7643 §4.1, §4.3 and the Attest extension). */
export function toScimUser(person: Person, managerId: string | null): ScimResource {
  const [givenName, ...rest] = person.fullName.split(' ');
  const enterprise = compact({
    employeeNumber: person.employeeNumber,
    department: person.department,
    manager: managerId ? { value: managerId, $ref: `/scim/v2/Users/${managerId}` } : null,
  });
  const attest = compact({
    startDate: person.startDate,
    endDate: person.endDate,
    employmentType: person.employmentType,
    country: person.country,
    region: person.region,
  });
  return {
    schemas: [CORE_USER, ENTERPRISE_USER, ATTEST_USER],
    id: person.id,
    ...(person.scimExternalId ? { externalId: person.scimExternalId } : {}),
    // A person nobody provisioned yet is known by their email (see USER_COLUMNS).
    userName: person.scimUserName ?? person.email,
    // Attest keeps one name; given and family names are its first word and the rest.
    name: { formatted: person.fullName, givenName, familyName: rest.join(' ') || undefined },
    displayName: person.fullName,
    ...(person.jobTitle ? { title: person.jobTitle } : {}),
    active: person.status !== PersonStatus.Terminated,
    emails: [{ value: person.email, type: 'work', primary: true }],
    [ENTERPRISE_USER]: enterprise,
    [ATTEST_USER]: attest,
    meta: {
      resourceType: 'User',
      created: person.createdAt.toISOString(),
      lastModified: person.updatedAt.toISOString(),
      location: `/scim/v2/Users/${person.id}`,
    },
  };
}

function compact(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(values).filter(([, v]) => v !== null && v !== undefined),
  );
}

/** RFC 7643 §2.1: attribute names are case-insensitive. */
export function get(resource: unknown, name: string): unknown {
  if (typeof resource !== 'object' || resource === null || Array.isArray(resource))
    return undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(resource)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

function text(value: unknown, attribute: string): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null || value === '') return null;
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') throw invalidValue(`"${attribute}" must be a string.`);
  return value.trim() === '' ? null : value.trim();
}

/** Attest's columns hold so much (person.scim_user_name, person.scim_external_id). */
function limited<T extends string | null | undefined>(value: T, attribute: string, max: number): T {
  if (typeof value === 'string' && value.length > max) {
    throw invalidValue(
      `"${attribute}" is at most ${max} characters; this one has ${value.length}.`,
    );
  }
  return value;
}

/**
 * Booleans as identity providers send them: Microsoft Entra ID sends `active` as the string
 * "True" or "False" in PATCH operations.
 */
function bool(value: unknown, attribute: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) {
    return value.toLowerCase() === 'true';
  }
  throw invalidValue(`"${attribute}" must be true or false.`);
}

/** RFC 7643 §2.4: the primary email, else the first. */
function primaryEmail(emails: unknown): string | undefined {
  if (emails === undefined || emails === null) return undefined;
  if (!Array.isArray(emails)) throw invalidValue('"emails" must be a list.');
  const primary =
    emails.find((e) => bool(get(e, 'primary'), 'emails.primary') === true) ?? emails[0];
  if (primary === undefined) return undefined;
  return text(get(primary, 'value'), 'emails.value') ?? undefined;
}

/** Entra ID sends the manager as a bare id string in PATCH; RFC 7643 §4.3 as `{ value }`. */
function managerId(manager: unknown): string | null | undefined {
  if (manager === undefined) return undefined;
  if (manager === null || typeof manager === 'string') return text(manager, 'manager');
  return text(get(manager, 'value'), 'manager.value');
}

/**
 * Reads a User resource. `before` is the same person as a resource before a PATCH or PUT: the
 * name that changed decides the full name (RFC 7643 §4.1.1 offers three spellings of it).
 * Attributes Attest does not keep (password, phoneNumbers, addresses, locale, …) are ignored,
 * as RFC 7644 §3.3 lets a service provider do.
 */
export function fromScimUser(resource: ScimResource, before?: ScimResource): ScimUserInput {
  const enterprise = get(resource, ENTERPRISE_USER) ?? {};
  const attest = get(resource, ATTEST_USER) ?? {};
  const name = get(resource, 'name');
  const nameBefore = before ? get(before, 'name') : undefined;
  const changed = (now: unknown, then: unknown) => now !== undefined && now !== then;
  const formatted = text(get(name, 'formatted'), 'name.formatted');
  const displayName = text(get(resource, 'displayName'), 'displayName');
  const given = text(get(name, 'givenName'), 'name.givenName');
  const family = text(get(name, 'familyName'), 'name.familyName');
  const joined = [given, family].filter(Boolean).join(' ') || undefined;
  const nameOf = before
    ? changed(formatted, get(nameBefore, 'formatted'))
      ? formatted
      : changed(displayName, get(before, 'displayName'))
        ? displayName
        : changed(given, get(nameBefore, 'givenName')) ||
            changed(family, get(nameBefore, 'familyName'))
          ? joined
          : undefined
    : (formatted ?? displayName ?? joined);
  const userName = limited(text(get(resource, 'userName'), 'userName'), 'userName', 320);
  return {
    userName: userName ?? undefined,
    externalId: limited(text(get(resource, 'externalId'), 'externalId'), 'externalId', 255),
    active: bool(get(resource, 'active'), 'active'),
    fullName: nameOf ?? undefined,
    email: primaryEmail(get(resource, 'emails')),
    jobTitle: text(get(resource, 'title'), 'title'),
    employeeNumber: text(get(enterprise, 'employeeNumber'), 'employeeNumber'),
    department: text(get(enterprise, 'department'), 'department'),
    managerId: managerId(get(enterprise, 'manager')),
    startDate: text(get(attest, 'startDate'), 'startDate'),
    endDate: text(get(attest, 'endDate'), 'endDate'),
    employmentType: text(get(attest, 'employmentType'), 'employmentType'),
    country: text(get(attest, 'country'), 'country'),
    region: text(get(attest, 'region'), 'region'),
  };
}

/** What a PATCH `remove` may clear; the name, email, userName and active always have a value. */
const CLEARABLE = [
  'externalId',
  'jobTitle',
  'employeeNumber',
  'department',
  'managerId',
  'startDate',
  'endDate',
  'country',
  'region',
] as const;

/**
 * After a PATCH, an attribute that was there and is gone was removed (RFC 7644 §3.5.2.2):
 * it is cleared rather than left as it was.
 */
export function withRemovals(after: ScimUserInput, before: ScimUserInput): ScimUserInput {
  const out: ScimUserInput = { ...after };
  for (const key of CLEARABLE) {
    if (before[key] !== undefined && before[key] !== null && after[key] === undefined) {
      (out as Record<string, unknown>)[key] = null;
    }
  }
  return out;
}
