import { calendarDay } from '../auditors/audit-period';
import type { EvidenceSelector } from '../auditors/controls-file.loader';
import { addDays, type CalendarDay } from '../common/calendar-day';
import { RequirementKind } from '../requirements/requirement-rule';
import { ExportFiltersInvalid } from './exports.errors';

/** What an auditor asked to export. Every filter is optional; together they all apply. */
export interface ExportFilters {
  /** First signing day included (UTC), YYYY-MM-DD. */
  readonly from: CalendarDay | null;
  /** Last signing day included (UTC), YYYY-MM-DD. */
  readonly to: CalendarDay | null;
  /** The person's department as HR records it now, matched exactly. */
  readonly department: string | null;
  /** A control id from policies/controls.yml. */
  readonly control: string | null;
}

export const NO_FILTERS: ExportFilters = { from: null, to: null, department: null, control: null };

export const DEPARTMENT_MAX_LENGTH = 100;

/** Which attestations an export holds, in the terms of the attestation table. */
export interface AttestationSelection {
  /** Signed at or after this instant. */
  readonly signedFrom: Date | null;
  /** Signed before this instant. */
  readonly signedBefore: Date | null;
  readonly department: string | null;
  /** Only these kinds and documents; null means every document. */
  readonly subjects: readonly AttestationSubject[] | null;
}

export interface AttestationSubject {
  readonly kind: 'signature' | 'training';
  readonly documentId: string;
}

const blank = (value: unknown) =>
  value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/**
 * Checks filters at the edge (form, CLI flags, API query); each refusal says what to type.
 * Whether a control exists is checked later, against the loaded control map.
 */
export function parseExportFilters(input: Record<string, unknown>): ExportFilters {
  const from = blank(input.from) ? null : calendarDay(input.from);
  const to = blank(input.to) ? null : calendarDay(input.to);
  if (from === undefined) {
    throw new ExportFiltersInvalid('"From" must be a date written YYYY-MM-DD, e.g. 2026-01-01.');
  }
  if (to === undefined) {
    throw new ExportFiltersInvalid('"To" must be a date written YYYY-MM-DD, e.g. 2026-12-31.');
  }
  if (from && to && to < from) {
    throw new ExportFiltersInvalid('"From" must be on or before "To".');
  }
  const department = textFilter(input.department, 'The department');
  const control = textFilter(input.control, 'The control');
  if (control !== null && !/^[a-z0-9][a-z0-9._-]*$/.test(control)) {
    throw new ExportFiltersInvalid('Choose a control from the list.');
  }
  return { from, to, department, control };
}

function textFilter(value: unknown, label: string): string | null {
  if (blank(value)) return null;
  if (typeof value !== 'string') throw new ExportFiltersInvalid(`${label} is text.`);
  const text = value.trim();
  if (text.length > DEPARTMENT_MAX_LENGTH) {
    throw new ExportFiltersInvalid(`${label} is at most ${DEPARTMENT_MAX_LENGTH} characters.`);
  }
  return text;
}

/**
 * The filters as the attestation table sees them. A control's document selectors become signed
 * documents, its training selectors passed modules; background checks have no attestation PDF,
 * so a control evidenced only by screening selects nothing.
 */
export function selectionFor(
  filters: ExportFilters,
  controlSelectors: readonly EvidenceSelector[] | null,
): AttestationSelection {
  const subjects =
    controlSelectors === null
      ? null
      : controlSelectors.flatMap((s): AttestationSubject[] => {
          if (s.kind === RequirementKind.Document)
            return [{ kind: 'signature', documentId: s.subject }];
          if (s.kind === RequirementKind.Training)
            return [{ kind: 'training', documentId: s.subject }];
          return [];
        });
  return {
    signedFrom: filters.from ? startOfDay(filters.from) : null,
    signedBefore: filters.to ? startOfDay(addDays(filters.to, 1)) : null,
    department: filters.department,
    subjects,
  };
}

const startOfDay = (day: CalendarDay) => new Date(`${day}T00:00:00.000Z`);

/** One line for pages, logs and the CLI: "signed 2026-01-01 to 2026-03-31, Finance, soc2-cc1.1". */
export function describeFilters(filters: ExportFilters): string {
  const parts: string[] = [];
  if (filters.from || filters.to) {
    parts.push(`signed ${filters.from ?? 'any time'} to ${filters.to ?? 'today'}`);
  }
  if (filters.department) parts.push(`department ${filters.department}`);
  if (filters.control) parts.push(`control ${filters.control}`);
  return parts.length > 0 ? parts.join(', ') : 'every attestation';
}
