import type { BackgroundCheckAccess } from '../access/background-check.policy';
import type { BackgroundCheckEvent } from './background-check-event.entity';
import {
  BACKGROUND_CHECK_STATUSES,
  BACKGROUND_CHECK_TYPES,
  type BackgroundCheck,
} from './background-check.entity';

export interface OptionView {
  readonly value: string;
  readonly label: string;
  readonly selected: boolean;
}

export interface BackgroundCheckRowView {
  readonly id: string;
  readonly personName: string;
  readonly type: string;
  readonly status: string;
  readonly jurisdiction: string;
  readonly updatedAt: string;
}

export interface BackgroundCheckListView {
  readonly title: string;
  readonly checks: BackgroundCheckRowView[];
  readonly total: number;
  readonly statuses: OptionView[];
  readonly types: OptionView[];
  readonly page: number;
  readonly previousPage: number | null;
  readonly nextPage: number | null;
  readonly filterQuery: string;
}

export interface HistoryEntryView {
  readonly at: string;
  readonly actorId: string;
  readonly source: string;
  readonly fromStatus: string;
  readonly toStatus: string;
}

/** What a check's page shows; each block is present only at the level that may see it. */
export interface BackgroundCheckDetailView {
  readonly title: string;
  readonly csrfToken: string;
  readonly id: string;
  readonly level: BackgroundCheckAccess;
  readonly type: string;
  readonly status: string;
  /** Auditors and HR: everything but what the screening found. */
  readonly tracking?: {
    readonly personName: string;
    readonly jurisdiction: string;
    readonly dates: { label: string; value: string }[];
    readonly history: HistoryEntryView[];
  };
  /** HR and admins only. */
  readonly details?: {
    readonly providerName: string;
    readonly providerReference: string;
    readonly waiverReason: string;
    readonly adjudicationNotes: string;
    readonly reportReference: string;
    readonly canEdit: boolean;
  };
}

export interface MyBackgroundChecksView {
  readonly title: string;
  readonly checks: { id: string; type: string; status: string }[];
}

/** `criminal_record` → `Criminal record`. */
export function label(value: string): string {
  const words = value.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function isoOrEmpty(date: Date | null | undefined): string {
  return date ? date.toISOString() : '';
}

/** YYYY-MM-DD for `<input type="date">`. */
export function dateInput(date: Date | null | undefined): string {
  return date ? date.toISOString().slice(0, 10) : '';
}

export function options(values: readonly string[], selected: string | undefined): OptionView[] {
  return values.map((value) => ({ value, label: label(value), selected: value === selected }));
}

export const statusOptions = (selected?: string) => options(BACKGROUND_CHECK_STATUSES, selected);
export const typeOptions = (selected?: string) => options(BACKGROUND_CHECK_TYPES, selected);

export function rowView(check: BackgroundCheck): BackgroundCheckRowView {
  return {
    id: check.id,
    personName: check.person.fullName,
    type: label(check.type),
    status: label(check.status),
    jurisdiction: check.jurisdiction,
    updatedAt: check.updatedAt.toISOString(),
  };
}

export function historyView(events: BackgroundCheckEvent[]): HistoryEntryView[] {
  return events.map((e) => ({
    at: e.at.toISOString(),
    actorId: e.actorId,
    source: e.source,
    fromStatus: e.fromStatus ? label(e.fromStatus) : '—',
    toStatus: label(e.toStatus),
  }));
}

export function datesView(check: BackgroundCheck): { label: string; value: string }[] {
  return [
    { label: 'Invited', value: isoOrEmpty(check.invitedAt) },
    { label: 'Started', value: isoOrEmpty(check.startedAt) },
    { label: 'Completed', value: isoOrEmpty(check.completedAt) },
    { label: 'Expires', value: isoOrEmpty(check.expiresAt) },
  ].filter((d) => d.value !== '');
}
