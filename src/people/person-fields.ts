import { EmploymentType, PersonStatus } from './person.entity';

/** The HR fields, named as the CSV columns and the edit form's inputs name them. */
export const PERSON_COLUMNS = [
  'email',
  'full_name',
  'employee_number',
  'department',
  'job_title',
  'manager_email',
  'employment_type',
  'country',
  'region',
  'start_date',
  'end_date',
  'status',
] as const;
export type PersonColumn = (typeof PERSON_COLUMNS)[number];

/** Columns a file may leave out; a person's value is then left as it is. */
export const OPTIONAL_COLUMNS: ReadonlySet<PersonColumn> = new Set([
  'manager_email',
  'region',
  'end_date',
]);

export function isPersonColumn(name: string): name is PersonColumn {
  return (PERSON_COLUMNS as readonly string[]).includes(name);
}

/** Validated HR fields. `undefined` means "not given: leave as it is"; `null` clears. */
export interface PersonFields {
  email: string;
  fullName: string;
  employeeNumber: string;
  department: string;
  jobTitle: string;
  managerEmail?: string | null;
  employmentType: EmploymentType;
  country: string;
  region?: string | null;
  startDate: string;
  endDate?: string | null;
  status: PersonStatus;
}

/** Which property of the person each column sets. */
export const PROPERTY_OF: Readonly<Record<PersonColumn, keyof PersonFields>> = {
  email: 'email',
  full_name: 'fullName',
  employee_number: 'employeeNumber',
  department: 'department',
  job_title: 'jobTitle',
  manager_email: 'managerEmail',
  employment_type: 'employmentType',
  country: 'country',
  region: 'region',
  start_date: 'startDate',
  end_date: 'endDate',
  status: 'status',
};

export interface FieldError {
  column: PersonColumn;
  message: string;
}

export type RawPersonFields = Partial<Record<PersonColumn, string>>;

const MAX_LENGTH: Partial<Record<PersonColumn, number>> = {
  email: 320,
  full_name: 200,
  employee_number: 64,
  department: 200,
  job_title: 200,
  manager_email: 320,
  region: 100,
};

// Deliberately loose (RFC 5321 allows far more); it catches typos, not every invalid address.
const EMAIL = /^[^\s@",;<>()[\]\\]+@[^\s@",;<>()[\]\\]+\.[^\s@",;<>()[\]\\.]{2,}$/;
const EMPLOYEE_NUMBER = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const CONTROL = /\p{Cc}/u;
/** Format characters (zero-width space and joiners, word joiner, byte order mark, …). */
const INVISIBLE = /\p{Cf}/u;

/**
 * Unicode's explicit directional formatting characters (UAX #9 §2): embeddings and overrides
 * U+202A–U+202E, isolates U+2066–U+2069, and the marks U+200E, U+200F and U+061C. They reorder
 * what a reader sees without changing what is stored ("Eve U+202E fdp.exe" shows as
 * "Eve exe.pdf"), on pages and in sealed PDFs alike.
 */
export const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/u;
const BIDI_CONTROLS = new RegExp(BIDI_CONTROL.source, 'gu');

/** The text without directional formatting characters. */
export function withoutBidiControls(value: string): string {
  return value.replace(BIDI_CONTROLS, '');
}

/** A field's name in a sentence: "full_name" → "full name". */
export function fieldName(column: PersonColumn): string {
  return column.replace(/_/g, ' ');
}

function bidiMessage(column: PersonColumn, value: string): string {
  const code = value.codePointAt(value.search(BIDI_CONTROL))!;
  const hex = code.toString(16).toUpperCase().padStart(4, '0');
  return `The ${fieldName(column)} contains an invisible text-direction character (U+${hex}), which can make it read differently on screen and in PDFs than it is stored. Delete it and type the text again without it.`;
}

/**
 * Codes that Intl knows as regions but ISO 3166-1 has not assigned to a country: groupings
 * (EU, UN, EZ, QO), exceptional and transitional reservations (AC, CP, DG, EA, IC, TA, UK, FX,
 * CQ), withdrawn codes (AN, BU, CS, DD, DY, HV, NH, RH, SU, TP, VD, YD, YU, ZR) and CLDR's
 * private-use codes (XA, XB, ZZ). XK (Kosovo) is private-use in ISO but used by the EU and many
 * HR systems, so it is accepted.
 */
const NOT_A_COUNTRY = new Set(
  'AC AN BU CP CQ CS DD DG DY EA EU EZ FX HV IC NH QO RH SU TA TP UK UN VD XA XB YD YU ZR ZZ'.split(
    ' ',
  ),
);
const REGION_NAMES = new Intl.DisplayNames('en', { type: 'region', fallback: 'none' });

/** The English name of an ISO 3166-1 alpha-2 code, or undefined when it is not one. */
export function countryName(code: string): string | undefined {
  if (!/^[A-Z]{2}$/.test(code) || NOT_A_COUNTRY.has(code)) return undefined;
  return REGION_NAMES.of(code);
}

/** True for a YYYY-MM-DD string naming a day that exists (2026-02-30 does not). */
export function isIsoDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    year >= 1900 &&
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day
  );
}

function enumValue<T extends string>(
  column: PersonColumn,
  value: string,
  allowed: readonly T[],
  errors: FieldError[],
): T | undefined {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  const spelled = value.toLowerCase().replace(/[\s-]+/g, '_');
  const hint = (allowed as readonly string[]).includes(spelled) ? ` Write "${spelled}".` : '';
  errors.push({
    column,
    message: `"${value}" is not allowed.${hint} Use one of: ${allowed.join(', ')}.`,
  });
  return undefined;
}

/**
 * Checks one person's HR fields, as a CSV row or the edit form gives them (trimmed strings;
 * a missing key is a column the file left out). Every problem is reported, not just the first.
 * Rules that need the database (is the manager a person we know?) are the service's.
 */
export function validatePersonFields(raw: RawPersonFields): {
  fields?: PersonFields;
  errors: FieldError[];
} {
  const errors: FieldError[] = [];
  const text: Partial<Record<PersonColumn, string>> = {};
  for (const column of PERSON_COLUMNS) {
    const value = raw[column]?.trim();
    if (value === undefined) {
      if (!OPTIONAL_COLUMNS.has(column)) errors.push({ column, message: 'is required.' });
      continue;
    }
    if (value === '') {
      if (!OPTIONAL_COLUMNS.has(column)) errors.push({ column, message: 'must not be empty.' });
      text[column] = value;
      continue;
    }
    const max = MAX_LENGTH[column];
    if (max !== undefined && value.length > max) {
      errors.push({ column, message: `is ${value.length} characters long; at most ${max}.` });
    } else if (CONTROL.test(value)) {
      errors.push({ column, message: 'contains a control character (such as a tab).' });
    } else if (BIDI_CONTROL.test(value)) {
      errors.push({ column, message: bidiMessage(column, value) });
    }
    text[column] = value;
  }
  const bad = (column: PersonColumn) => errors.some((e) => e.column === column);
  const given = (column: PersonColumn) => text[column] !== undefined && text[column] !== '';

  for (const column of ['email', 'manager_email'] as const) {
    if (!given(column) || bad(column)) continue;
    const invisible = INVISIBLE.exec(text[column]!);
    if (invisible) {
      // An address that looks like another person's would be a second identity for them.
      const hex = invisible[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
      errors.push({
        column,
        message: `contains an invisible character (U+${hex}), so it would look like an address it is not. Type the address again without it.`,
      });
    } else if (!EMAIL.test(text[column]!)) {
      errors.push({ column, message: `"${text[column]}" is not an email address.` });
    }
  }
  if (
    given('manager_email') &&
    !bad('manager_email') &&
    text.manager_email!.toLowerCase() === text.email?.toLowerCase()
  ) {
    errors.push({ column: 'manager_email', message: 'A person cannot be their own manager.' });
  }
  if (given('employee_number') && !bad('employee_number')) {
    if (!EMPLOYEE_NUMBER.test(text.employee_number!)) {
      errors.push({
        column: 'employee_number',
        message: 'may hold only letters, digits and . _ / - and must start with a letter or digit.',
      });
    }
  }
  let employmentType: EmploymentType | undefined;
  if (given('employment_type')) {
    employmentType = enumValue(
      'employment_type',
      text.employment_type!,
      Object.values(EmploymentType),
      errors,
    );
  }
  let status: PersonStatus | undefined;
  if (given('status')) {
    status = enumValue('status', text.status!, Object.values(PersonStatus), errors);
  }
  const country = text.country?.toUpperCase();
  if (given('country') && !bad('country') && !countryName(country!)) {
    const hint = country === 'UK' ? ' The United Kingdom is GB.' : '';
    errors.push({
      column: 'country',
      message: `"${text.country}" is not an ISO 3166-1 alpha-2 country code (like US, DE, GB, IN).${hint}`,
    });
  }
  for (const column of ['start_date', 'end_date'] as const) {
    if (given(column) && !isIsoDate(text[column]!)) {
      errors.push({
        column,
        message: `"${text[column]}" is not a date written YYYY-MM-DD (like 2026-03-01).`,
      });
    }
  }
  if (
    given('start_date') &&
    given('end_date') &&
    !bad('start_date') &&
    !bad('end_date') &&
    text.end_date! < text.start_date!
  ) {
    errors.push({ column: 'end_date', message: 'is before start_date.' });
  }
  if (errors.length > 0) return { errors };

  const optional = (column: PersonColumn) =>
    text[column] === undefined ? undefined : text[column] === '' ? null : text[column];
  const managerEmail = optional('manager_email');
  return {
    errors,
    fields: {
      email: text.email!.toLowerCase(),
      fullName: text.full_name!,
      employeeNumber: text.employee_number!,
      department: text.department!,
      jobTitle: text.job_title!,
      managerEmail: typeof managerEmail === 'string' ? managerEmail.toLowerCase() : managerEmail,
      employmentType: employmentType!,
      country: country!,
      region: optional('region'),
      startDate: text.start_date!,
      endDate: optional('end_date'),
      status: status!,
    },
  };
}
