import type { Principal } from '../access/principal';
import { humanDate } from '../common/labels';
import { sourceText } from './field-sources';
import { Permission } from '../access/permission';
import {
  PERSON_COLUMNS,
  countryName,
  type FieldError,
  type PersonColumn,
  type RawPersonFields,
} from './person-fields';
import { EmploymentType, type Person, PersonStatus } from './person.entity';

export const LABELS: Readonly<Record<PersonColumn, string>> = {
  email: 'Email',
  full_name: 'Full name',
  employee_number: 'Employee number',
  department: 'Department',
  job_title: 'Job title',
  manager_email: 'Manager’s email',
  employment_type: 'Employment type',
  country: 'Country',
  region: 'Region',
  start_date: 'Start date',
  end_date: 'End date',
  status: 'Status',
};

const STATUS_LABELS: Readonly<Record<PersonStatus, string>> = {
  [PersonStatus.PreStart]: 'Not started yet',
  [PersonStatus.Active]: 'Active',
  [PersonStatus.OnLeave]: 'On leave',
  [PersonStatus.Terminated]: 'Left',
};

const EMPLOYMENT_LABELS: Readonly<Record<EmploymentType, string>> = {
  [EmploymentType.Employee]: 'Employee',
  [EmploymentType.Contractor]: 'Contractor',
};

export interface Option {
  value: string;
  label: string;
  selected: boolean;
}

export interface PersonSummaryView {
  id: string;
  fullName: string;
  email: string;
  employeeNumber: string;
  department: string;
  jobTitle: string;
  country: string;
  status: string;
}

export interface PeopleListView {
  title: string;
  /** The search as typed. */
  q: string;
  /** `open` when the list shows only people onboarding. */
  onboarding: string;
  startMonth: string;
  people: PersonSummaryView[];
  total: number;
  /** `Showing 51–100 of 1,234`. */
  showing: string;
  from: number;
  to: number;
  page: number;
  pages: number;
  previousUrl: string | null;
  nextUrl: string | null;
  departments: Option[];
  countries: Option[];
  statuses: Option[];
  canImport: boolean;
}

export interface PersonView {
  title: string;
  id: string;
  /** `source`: where the value came from last ("Edited by HR, 7 Dec 2026"), when known. */
  facts: Array<{ label: string; value: string; source: string | null }>;
  rolesSource: string | null;
  roles: string[];
  canEdit: boolean;
}

export interface EditFieldView {
  name: PersonColumn;
  id: string;
  label: string;
  value: string;
  inputType: string;
  required: boolean;
  hint: string | null;
  options: Option[] | null;
  error: string | null;
}

export interface PersonEditView {
  title: string;
  id: string;
  fullName: string;
  csrfToken: string;
  fields: EditFieldView[];
  errors: Array<{ id: string; label: string; message: string }>;
}

export function statusLabel(status: PersonStatus): string {
  return STATUS_LABELS[status];
}

export function options(values: Array<[string, string]>, selected: string | undefined): Option[] {
  return values.map(([value, label]) => ({ value, label, selected: value === selected }));
}

export const STATUS_OPTIONS = Object.entries(STATUS_LABELS);

export function countryLabel(code: string | null | undefined): string {
  if (!code) return '';
  const name = countryName(code);
  return name ? `${name} (${code})` : code;
}

export function toSummaryView(person: Person): PersonSummaryView {
  return {
    id: person.id,
    fullName: person.fullName,
    email: person.email,
    employeeNumber: person.employeeNumber ?? '',
    department: person.department ?? '',
    jobTitle: person.jobTitle ?? '',
    country: person.country ?? '',
    status: statusLabel(person.status as PersonStatus),
  };
}

export function toPersonView(actor: Principal, person: Person): PersonView {
  const facts: Array<[PersonColumn, string | null | undefined]> = [
    ['email', person.email],
    ['employee_number', person.employeeNumber],
    ['department', person.department],
    ['job_title', person.jobTitle],
    ['manager_email', person.managerEmail],
    ['employment_type', EMPLOYMENT_LABELS[person.employmentType as EmploymentType]],
    ['country', countryLabel(person.country)],
    ['region', person.region],
    ['start_date', humanDate(person.startDate)],
    ['end_date', humanDate(person.endDate)],
    ['status', statusLabel(person.status as PersonStatus)],
  ];
  return {
    title: person.fullName,
    id: person.id,
    facts: facts.map(([column, value]) => ({
      label: LABELS[column],
      value: value || '—',
      source: sourceText(person.fieldSources, column, (at) => humanDate(at.slice(0, 10))),
    })),
    roles: [...person.roles],
    rolesSource: sourceText(person.fieldSources, 'roles', (at) => humanDate(at.slice(0, 10))),
    canEdit: actor.permissions.has(Permission.PersonWrite),
  };
}

/** The HR fields of a person as the edit form shows them. */
export function formValues(person: Person): RawPersonFields {
  return {
    full_name: person.fullName,
    employee_number: person.employeeNumber ?? '',
    department: person.department ?? '',
    job_title: person.jobTitle ?? '',
    manager_email: person.managerEmail ?? '',
    employment_type: person.employmentType,
    country: person.country ?? '',
    region: person.region ?? '',
    start_date: person.startDate ?? '',
    end_date: person.endDate ?? '',
    status: person.status,
  };
}

/** Every HR field but the email, which is the sign-in identity and is not edited here. */
export const EDITABLE_COLUMNS: readonly PersonColumn[] = PERSON_COLUMNS.filter(
  (column) => column !== 'email',
);

const INPUT_TYPES: Partial<Record<PersonColumn, string>> = {
  manager_email: 'email',
  start_date: 'date',
  end_date: 'date',
};

const HINTS: Partial<Record<PersonColumn, string>> = {
  manager_email: 'Someone already in Attest. Leave empty if there is none.',
  country: 'Two-letter ISO code, like US, DE, GB or IN.',
  region: 'State or province, where the law differs within the country. Optional.',
  end_date: 'Optional.',
};

export function toEditView(
  actor: Principal,
  person: Person,
  values: RawPersonFields,
  errors: FieldError[] = [],
): PersonEditView {
  const errorOf = (column: PersonColumn) =>
    errors.find((e) => e.column === column)?.message ?? null;
  const choices: Partial<Record<PersonColumn, Array<[string, string]>>> = {
    employment_type: Object.entries(EMPLOYMENT_LABELS),
    status: STATUS_OPTIONS,
  };
  return {
    title: `Edit ${person.fullName}`,
    id: person.id,
    fullName: person.fullName,
    csrfToken: actor.csrfToken,
    fields: EDITABLE_COLUMNS.map((column) => {
      const list = choices[column];
      return {
        name: column,
        id: `person-${column.replace(/_/g, '-')}`,
        label: LABELS[column],
        value: values[column] ?? '',
        inputType: INPUT_TYPES[column] ?? 'text',
        required: !['manager_email', 'region', 'end_date'].includes(column),
        hint: HINTS[column] ?? null,
        options: list ? options(list, values[column]) : null,
        error: errorOf(column),
      };
    }),
    errors: errors.map((e) => ({
      id: `person-${e.column.replace(/_/g, '-')}`,
      label: LABELS[e.column],
      message: e.message,
    })),
  };
}
