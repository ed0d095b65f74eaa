import { humanDate, humanInstant, label as labelOf } from '../common/labels';
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
  readonly personId: string;
  readonly personName: string;
  readonly type: string;
  readonly status: string;
  readonly jurisdiction: string;
  readonly updatedAt: string;
  readonly updatedText: string;
}

export interface BackgroundCheckListView {
  readonly title: string;
  readonly checks: BackgroundCheckRowView[];
  readonly total: number;
  /** `1 check`, `12 checks`. */
  readonly totalText: string;
  /** Whether the viewer may record a check ("Record a check" links to the person chooser). */
  readonly canRecord: boolean;
  readonly statuses: OptionView[];
  readonly types: OptionView[];
  readonly page: number;
  readonly previousPage: number | null;
  readonly nextPage: number | null;
  readonly filterQuery: string;
}

export interface HistoryEntryView {
  readonly at: string;
  readonly atText: string;
  readonly actorId: string;
  /** The actor's name, or the source in words when no person acted. */
  readonly actorName: string;
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
    readonly personId: string;
    readonly personName: string;
    readonly jurisdiction: string;
    readonly dates: { label: string; value: string; text: string }[];
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
    /** Set once a retention purge deleted the report reference and notes: when, in words. */
    readonly purged: string | null;
  };
}

export interface MyBackgroundChecksView {
  readonly title: string;
  readonly checks: { id: string; type: string; status: string }[];
}

/** `criminal_record` → `Criminal record`, `consider` → `Needs review`: the one label source. */
export function label(value: string): string {
  return labelOf(value);
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
    personId: check.person.id,
    personName: check.person.fullName,
    type: label(check.type),
    status: label(check.status),
    jurisdiction: check.jurisdiction,
    updatedAt: check.updatedAt.toISOString(),
    updatedText: humanInstant(check.updatedAt),
  };
}

export function historyView(
  events: BackgroundCheckEvent[],
  names: ReadonlyMap<string, string> = new Map(),
): HistoryEntryView[] {
  return events.map((e) => ({
    at: e.at.toISOString(),
    atText: humanInstant(e.at),
    actorId: e.actorId,
    actorName: names.get(e.actorId) ?? label(e.source),
    source: e.source,
    fromStatus: e.fromStatus ? label(e.fromStatus) : '—',
    toStatus: label(e.toStatus),
  }));
}

export function datesView(
  check: BackgroundCheck,
): { label: string; value: string; text: string }[] {
  return [
    { label: 'Invited', value: dateInput(check.invitedAt) },
    { label: 'Started', value: dateInput(check.startedAt) },
    { label: 'Completed', value: dateInput(check.completedAt) },
    { label: 'Expires', value: dateInput(check.expiresAt) },
  ]
    .filter((d) => d.value !== '')
    .map((d) => ({ ...d, text: humanDate(d.value) }));
}
