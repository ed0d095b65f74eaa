import { BackgroundCheckStatus, type BackgroundCheck } from './background-check.entity';
import { dateInput, type OptionView, statusOptions, typeOptions } from './background-check.views';
import type { InputProblem } from './background-checks.errors';

/** The form's text fields, as the inputs show them. */
export interface BackgroundCheckFormValues {
  jurisdiction: string;
  invitedAt: string;
  startedAt: string;
  completedAt: string;
  expiresAt: string;
  waiverReason: string;
  providerName: string;
  providerReference: string;
  adjudicationNotes: string;
  reportReference: string;
}

/** The create and edit forms; values are what the inputs start with. */
export interface BackgroundCheckFormView {
  readonly title: string;
  readonly csrfToken: string;
  readonly action: string;
  readonly isNew: boolean;
  readonly person: { id: string; name: string };
  readonly types: OptionView[];
  readonly typeLabel: string;
  readonly statuses: OptionView[];
  /** Whether the viewer may record a waiver: without it, no waived status and no reason. */
  readonly canWaive: boolean;
  readonly values: BackgroundCheckFormValues;
  /** The error summary: each entry links to its field. */
  readonly errors: { href: string; message: string }[];
  /** The message beside each field that has one, by field name. */
  readonly fieldErrors: Partial<Record<string, string>>;
}

const FIELDS: (keyof BackgroundCheckFormValues)[] = [
  'jurisdiction',
  'invitedAt',
  'startedAt',
  'completedAt',
  'expiresAt',
  'waiverReason',
  'providerName',
  'providerReference',
  'adjudicationNotes',
  'reportReference',
];

/** The input each field's message points at, in the order the form shows them. */
const INPUT_IDS: Record<string, string> = {
  personId: 'check-type',
  type: 'check-type',
  jurisdiction: 'check-jurisdiction',
  status: 'check-status',
  waiverReason: 'check-waiver-reason',
  invitedAt: 'check-invited',
  startedAt: 'check-started',
  completedAt: 'check-completed',
  expiresAt: 'check-expires',
  providerName: 'check-provider',
  providerReference: 'check-provider-reference',
  reportReference: 'check-report-reference',
  adjudicationNotes: 'check-notes',
};

/** What to say when the check that failed was a type, format or length, in plain words. */
const IN_WORDS: Record<string, string> = {
  personId: 'Choose the person the check is for.',
  type: 'Choose the type of check.',
  jurisdiction:
    'Enter a country code, with a region where the law differs there, like US or US-CA.',
  status: 'Choose the status of the check.',
  waiverReason: 'Keep the waiver reason to 1,000 characters or fewer.',
  providerName: 'Keep the provider’s name to 100 characters or fewer.',
  providerReference: 'Keep the provider’s reference to 200 characters or fewer.',
  adjudicationNotes: 'Keep the notes to 10,000 characters or fewer.',
  reportReference: 'Keep the report reference to 500 characters or fewer.',
};

/** Our own messages are sentences; a validator's stock phrase is replaced by the field's. */
function inWords(problem: InputProblem): string {
  if (/^[A-Z].*\.$/.test(problem.message) && !problem.message.startsWith('Too ')) {
    return problem.message;
  }
  return IN_WORDS[problem.path] ?? 'Check this field.';
}

function withoutWaiver(options: OptionView[], canWaive: boolean): OptionView[] {
  return canWaive ? options : options.filter((o) => o.value !== BackgroundCheckStatus.Waived);
}

export function newFormView(
  csrfToken: string,
  person: { id: string; fullName: string; country?: string | null },
  canWaive: boolean,
): BackgroundCheckFormView {
  return {
    title: `New background check for ${person.fullName}`,
    csrfToken,
    action: '/background-checks',
    isNew: true,
    person: { id: person.id, name: person.fullName },
    types: typeOptions(),
    typeLabel: '',
    statuses: withoutWaiver(statusOptions('not_started'), canWaive),
    canWaive,
    values: {
      jurisdiction: person.country ?? '',
      invitedAt: '',
      startedAt: '',
      completedAt: '',
      expiresAt: '',
      waiverReason: '',
      providerName: '',
      providerReference: '',
      adjudicationNotes: '',
      reportReference: '',
    },
    errors: [],
    fieldErrors: {},
  };
}

export function editFormView(
  csrfToken: string,
  check: BackgroundCheck,
  sealed: { adjudicationNotes: string | null; reportReference: string | null },
  canWaive: boolean,
): BackgroundCheckFormView {
  // A check already waived keeps its status on the form; only a new waiver needs the right.
  const keepsWaiver = canWaive || check.status === BackgroundCheckStatus.Waived;
  return {
    title: `Update background check`,
    csrfToken,
    action: `/background-checks/${check.id}`,
    isNew: false,
    person: { id: check.person.id, name: check.person.fullName },
    types: typeOptions(check.type),
    typeLabel: typeOptions(check.type).find((t) => t.selected)?.label ?? check.type,
    statuses: withoutWaiver(statusOptions(check.status), keepsWaiver),
    canWaive: keepsWaiver,
    values: {
      jurisdiction: check.jurisdiction,
      invitedAt: dateInput(check.invitedAt),
      startedAt: dateInput(check.startedAt),
      completedAt: dateInput(check.completedAt),
      expiresAt: dateInput(check.expiresAt),
      waiverReason: check.waiverReason ?? '',
      providerName: check.providerName ?? '',
      providerReference: check.providerReference ?? '',
      adjudicationNotes: sealed.adjudicationNotes ?? '',
      reportReference: sealed.reportReference ?? '',
    },
    errors: [],
    fieldErrors: {},
  };
}

/**
 * The form again after a refused submission: what was typed, kept, and each problem in words,
 * in the summary at the top and beside its field (the GOV.UK error summary pattern).
 */
export function withInput(
  view: BackgroundCheckFormView,
  body: Record<string, unknown>,
  problems: readonly InputProblem[],
): BackgroundCheckFormView {
  const typed = (name: string) => (typeof body[name] === 'string' ? body[name] : '');
  const values = { ...view.values };
  for (const field of FIELDS) values[field] = typed(field);
  const fieldErrors: Record<string, string> = {};
  const errors: { href: string; message: string }[] = [];
  for (const problem of problems) {
    const field = problem.path.split('.')[0];
    if (fieldErrors[field]) continue;
    const message = inWords({ path: field, message: problem.message });
    fieldErrors[field] = message;
    errors.push({ href: `#${INPUT_IDS[field] ?? 'check-type'}`, message });
  }
  const order = Object.keys(INPUT_IDS);
  errors.sort(
    (a, b) =>
      order.indexOf(fieldOf(a.href)) - order.indexOf(fieldOf(b.href)) ||
      a.href.localeCompare(b.href),
  );
  const chosen = (options: OptionView[], value: string) =>
    options.some((o) => o.value === value)
      ? options.map((o) => ({ ...o, selected: o.value === value }))
      : options;
  return {
    ...view,
    types: view.isNew ? chosen(view.types, typed('type')) : view.types,
    statuses: chosen(view.statuses, typed('status')),
    values,
    errors,
    fieldErrors,
  };
}

function fieldOf(href: string): string {
  const id = href.slice(1);
  return Object.keys(INPUT_IDS).find((k) => INPUT_IDS[k] === id) ?? '';
}
