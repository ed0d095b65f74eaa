import { Role } from '../access/role';
import { mayDecideAbout } from '../access/separation-of-duties.policy';
import { fieldName, type FieldError, type PersonColumn } from './person-fields';
import type { Person } from './person.entity';

/** Who changes a person's HR fields: a signed-in person, or the operator at the command line. */
export type ChangeActor = { personId: string; roles: readonly Role[] } | 'cli';

/** The HR fields that decide which requirements apply to a person (requirements.yml). */
export const REQUIREMENT_COLUMNS: ReadonlySet<PersonColumn> = new Set([
  'department',
  'employment_type',
  'country',
  'region',
  'start_date',
  'end_date',
  'status',
]);

/**
 * Whether the change alters who the person is: their email, or an employee number they already
 * had (a first one only records what was missing). Call it before the change is applied; such a
 * change ends the person's sessions.
 */
export function changesIdentity(person: Person, changed: readonly PersonColumn[]): boolean {
  return (
    changed.includes('email') || (changed.includes('employee_number') && !!person.employeeNumber)
  );
}

export type RefusalReason = 'bound_identity' | 'own_record' | 'admin_record';

/** One rule a change breaks, with the fields it concerns (the refusal's audit details). */
export interface ChangeRefusal {
  reason: RefusalReason;
  fields: PersonColumn[];
  errors: FieldError[];
}

/**
 * The person's email is their IdP identity's: they have signed in, or the IdP provisions them
 * by SCIM (RFC 7644), whose directory is then the record of who they are.
 */
export function isBound(person: Person): boolean {
  return !!person.samlIssuer || !!person.samlNameId || isScimBound(person);
}

/** The IdP provisions this person by SCIM (src/scim/). */
export function isScimBound(person: Person): boolean {
  return !!person.scimUserName;
}

/** The employee number came from the IdP's directory by SCIM, so it is the IdP's to change. */
function scimOwnsEmployeeNumber(person: Person): boolean {
  return isScimBound(person) && person.fieldSources?.employee_number?.source === 'scim';
}

/**
 * The rules on who may change what, beyond whether the values are right. They apply alike to
 * the edit form and to each import row; `changed` lists the columns the change would alter.
 */
export function refusedChanges(
  actor: ChangeActor,
  person: Person,
  changed: readonly PersonColumn[],
): ChangeRefusal[] {
  const refusals: ChangeRefusal[] = [];
  const refuse = (
    reason: RefusalReason,
    fields: PersonColumn[],
    message: (c: PersonColumn) => string,
  ) => {
    if (fields.length > 0) {
      refusals.push({
        reason,
        fields,
        errors: fields.map((column) => ({ column, message: message(column) })),
      });
    }
  };
  if (isBound(person)) {
    // A SCIM-bound person's directory changes arrive by provisioning, not at sign-in.
    const follows = isScimBound(person)
      ? 'Attest follows when the identity provider next provisions them (SCIM).'
      : 'Attest follows at their next sign-in.';
    refuse(
      'bound_identity',
      changed.filter(
        (c) => c === 'email' || (c === 'employee_number' && scimOwnsEmployeeNumber(person)),
      ),
      (c) =>
        c === 'email'
          ? `${person.email} is how this person signs in, and the identity provider owns it: it cannot be changed here. Change it at the identity provider; ${follows}`
          : `The identity provider sets this person’s employee number by SCIM: it cannot be changed here. Change it at the identity provider; ${follows}`,
    );
  }
  // The CLI operator runs Attest itself, so holds an admin's authority.
  if (actor === 'cli') return refusals;
  if (person.roles.includes(Role.Admin) && !actor.roles.includes(Role.Admin)) {
    refuse(
      'admin_record',
      changed.filter((c) => c !== 'email'),
      () => 'Only an admin can change an admin’s record. Ask an admin to make this change.',
    );
  }
  // Separation of duties: nobody decides their own requirements (as nobody waives their own).
  if (!mayDecideAbout(actor, person.id)) {
    refuse(
      'own_record',
      changed.filter((c) => REQUIREMENT_COLUMNS.has(c)),
      (c) =>
        `You cannot change your own ${fieldName(c)}: it decides what you must complete. Ask another HR person or an admin to change it.`,
    );
  }
  return refusals;
}

/**
 * Why a SCIM write may not change this person's email, if it may not. The IdP renames the
 * people it provisions (RFC 7644: its directory is their record); a person it has not bound yet
 * (imported, signed in, SSO-bound) keeps their email, or whoever holds the new address at the
 * IdP would sign in as them.
 */
export function scimEmailChangeRefusal(
  person: Person,
  changed: readonly PersonColumn[],
): string | undefined {
  if (!changed.includes('email') || isScimBound(person)) return undefined;
  return `User ${person.id} was not provisioned by SCIM, and SCIM changes the email only of people it provisioned: their email stays as it is. Provision them under that email (userName and emails), or have HR correct the email in Attest first.`;
}
