import {
  fieldName,
  type FieldError,
  PROPERTY_OF,
  type PersonColumn,
  type PersonFields,
  type RawPersonFields,
  validatePersonFields,
} from '../people/person-fields';
import type { Person } from '../people/person.entity';
import { invalidValue } from './scim.errors';
import type { ScimUserInput } from './scim-user.mapper';

/** The person columns a SCIM User sets (the status follows `active`, see ScimUsersService). */
const COLUMN_OF: ReadonlyArray<[keyof ScimUserInput, PersonColumn]> = [
  ['email', 'email'],
  ['fullName', 'full_name'],
  ['employeeNumber', 'employee_number'],
  ['department', 'department'],
  ['jobTitle', 'job_title'],
  ['employmentType', 'employment_type'],
  ['country', 'country'],
  ['region', 'region'],
  ['startDate', 'start_date'],
  ['endDate', 'end_date'],
];

/**
 * Stand-ins for a required column that neither SCIM nor the record holds yet: an IdP may
 * provision a person before HR has recorded their department or start date. They only let the
 * shared validation run; their errors and values are never used.
 */
const STAND_IN: Partial<Record<PersonColumn, string>> = {
  email: 'stand-in@example.com',
  full_name: 'Stand-in',
  employee_number: 'STAND-IN',
  department: 'Stand-in',
  job_title: 'Stand-in',
  employment_type: 'employee',
  country: 'GB',
  start_date: '1900-01-01',
  status: 'active',
};

function current(person: Person | undefined, column: PersonColumn): string | undefined {
  if (!person) return undefined;
  const value = {
    email: person.email,
    full_name: person.fullName,
    employee_number: person.employeeNumber,
    department: person.department,
    job_title: person.jobTitle,
    manager_email: person.managerEmail,
    employment_type: person.employmentType,
    country: person.country,
    region: person.region,
    start_date: person.startDate,
    end_date: person.endDate,
    status: person.status,
  }[column];
  return value ?? undefined;
}

/**
 * Checks what a SCIM User sets with the same rules as the CSV import and HR's edit
 * (validatePersonFields), against the person as they are. Returns only the fields SCIM gave:
 * a value, or null to clear. Any problem is a 400 invalidValue naming each field.
 */
export function scimPersonFields(
  person: Person | undefined,
  input: ScimUserInput,
  managerEmail: string | null | undefined,
): Partial<PersonFields> {
  const given = new Map<PersonColumn, string | null>();
  for (const [key, column] of COLUMN_OF) {
    const value = input[key];
    if (value !== undefined) given.set(column, value as string | null);
  }
  if (managerEmail !== undefined) given.set('manager_email', managerEmail);
  const raw: RawPersonFields = {};
  for (const column of Object.keys(STAND_IN).concat([
    'manager_email',
    'region',
    'end_date',
  ]) as PersonColumn[]) {
    const value = given.has(column) ? given.get(column) : current(person, column);
    const standIn = STAND_IN[column];
    if (value !== undefined && value !== null) raw[column] = value;
    else if (standIn !== undefined) raw[column] = standIn;
  }
  const { errors } = validatePersonFields(raw);
  const relevant: FieldError[] = errors.filter(
    (e) => given.has(e.column) && given.get(e.column) !== null,
  );
  if (relevant.length > 0) {
    throw invalidValue(relevant.map((e) => `${fieldName(e.column)}: ${e.message}`).join(' '));
  }
  const out: Record<string, unknown> = {};
  for (const [column, value] of given) {
    // As validatePersonFields writes them: emails lower-case, countries upper-case.
    const normal =
      value === null
        ? null
        : column === 'email' || column === 'manager_email'
          ? value.toLowerCase()
          : column === 'country'
            ? value.toUpperCase()
            : value;
    out[PROPERTY_OF[column]] = normal;
  }
  return out as Partial<PersonFields>;
}
