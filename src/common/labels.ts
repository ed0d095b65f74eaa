import { type CalendarDay, daysBetween } from './calendar-day';

/**
 * The words people read for the codes Attest stores: statuses, kinds, check types. Every page,
 * CSV heading and PDF takes its words from here, so one thing is never called two names.
 * Codes stay in the data, in the API and beside the words where an auditor needs them.
 */
const LABELS: Readonly<Record<string, string>> = {
  // Requirement assignment states (requirements/assignment-deriver.ts).
  not_started: 'Not started',
  in_progress: 'In progress',
  done: 'Done',
  overdue: 'Overdue',
  waived: 'Waived',
  not_required: 'Not required after leaving',
  scheduled: 'Next cycle scheduled',
  // Requirement kinds.
  document: 'Document',
  training: 'Training',
  background_check: 'Background check',
  task: 'Task',
  // Offboarding tasks (requirements/requirement-rule.ts TASK_SUBJECTS) and who does them.
  'return-of-assets': 'Return of assets',
  'exit-interview': 'Exit interview',
  'access-review': 'Access review',
  'post-employment-obligations': 'Post-employment obligations',
  manager: 'Manager',
  // Background-check types: the rules file's and the check record's spellings.
  identity: 'Identity',
  identity_verification: 'Identity',
  employment_verification: 'Employment verification',
  criminal_record: 'Criminal record',
  education: 'Education',
  education_verification: 'Education',
  right_to_work: 'Right to work',
  credit: 'Credit',
  // Background-check states.
  invited: 'Invited',
  clear: 'Clear',
  consider: 'Needs review',
  adverse_action: 'Adverse action',
  expired: 'Expired',
  // Employment types.
  employee: 'Employee',
  contractor: 'Contractor',
  // Document kinds.
  policy: 'Policy',
  nda: 'Non-disclosure agreement',
  confidentiality: 'Confidentiality agreement',
  'acceptable-use': 'Acceptable use',
  disclosure: 'Electronic records disclosure',
  // Roles.
  admin: 'Administrator',
  hr: 'HR',
  auditor: 'Auditor',
};

/** The words for a code; an unknown code is made readable rather than shown raw. */
export function label(code: string | null | undefined): string {
  if (!code) return '';
  const known = LABELS[code];
  if (known) return known;
  const words = code.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** `1 check`, `2 checks`, `0 problems`; `many` for irregular plurals. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en-GB')} ${count === 1 ? one : many}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `2026-12-20` → `20 Dec 2026` (GOV.UK style: day, short month, year; no zone shift). */
export function humanDate(day: CalendarDay | null | undefined): string {
  if (!day) return '';
  const [y, m, d] = day.slice(0, 10).split('-').map(Number);
  if (!y || !m || !d) return day;
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

/** An instant as people read it, in UTC: `6 Dec 2026, 19:50 UTC`. */
export function humanInstant(instant: Date | string | null | undefined): string {
  if (!instant) return '';
  const iso = typeof instant === 'string' ? new Date(instant).toISOString() : instant.toISOString();
  return `${humanDate(iso.slice(0, 10))}, ${iso.slice(11, 16)} UTC`;
}

/**
 * How far a due date is, in words: `due today`, `due tomorrow`, `due in 5 days`,
 * `1 day overdue`, `12 days overdue`.
 */
export function dueIn(dueDate: CalendarDay, today: CalendarDay): string {
  const days = daysBetween(today, dueDate);
  if (days === 0) return 'due today';
  if (days === 1) return 'due tomorrow';
  if (days > 1) return `due in ${plural(days, 'day')}`;
  return `${plural(-days, 'day')} overdue`;
}

/** `due in 5 days, 20 Dec 2026`. */
export function dueText(dueDate: CalendarDay, today: CalendarDay): string {
  return `${dueIn(dueDate, today)}, ${humanDate(dueDate)}`;
}
