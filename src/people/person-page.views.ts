import type { OffboardingSectionView } from '../offboarding/offboarding-checklist.service';
import type { OutboxRowView } from '../notifications/notification.views';
import type { CalendarDay } from '../common/calendar-day';
import { dueText, humanDate, humanInstant, label, plural } from '../common/labels';
import {
  type RequirementStanding,
  standingText,
  tagClassOf,
} from '../requirements/requirement-standing';
import type { PersonView } from './people.views';
import type { AttestationRow, CheckRow, HistoryRow } from './person-record.repository';

export interface RequirementRowView {
  requirementId: string;
  cycle: number;
  title: string;
  kind: string;
  statusText: string;
  tagClass: string;
  dueDate: string;
  /** `due in 5 days, 20 Dec 2026`, or the date alone once it is met. */
  dueText: string;
  waivable: boolean;
  /** Why the waiver just asked for was refused. */
  error?: string;
}

/** A legal hold form refused (no reason, too long, nothing to lift): shown beside its field. */
export interface HoldFormError {
  action: 'place' | 'lift';
  reason: string;
  message: string;
}

/** A waiver refused for want of a reason. */
export interface WaiveError {
  requirementId: string;
  cycle: number;
  message: string;
}

export interface AttestationRowView {
  title: string;
  kind: string;
  version: string;
  at: string;
  atText: string;
  href: string;
}

export interface CheckRowView {
  id: string;
  type: string;
  status: string;
  jurisdiction: string;
  updatedAt: string;
  updatedText: string;
}

export interface HistoryRowView {
  at: string;
  atText: string;
  what: string;
  detail: string;
  by: string;
}

/** The one person page: HR fields, requirements, signatures, checks and history. */
export interface PersonPageView extends PersonView {
  csrfToken: string;
  /** The leaver's offboarding checklist (src/offboarding/); null for someone not leaving. */
  offboarding: OffboardingSectionView | null;
  progress: string;
  requirements: RequirementRowView[];
  canWaive: boolean;
  /** The error summary's entries: each links to its field. */
  errors: Array<{ href: string; message: string }>;
  showAttestations: boolean;
  attestations: AttestationRowView[];
  summaryHref: string | null;
  showChecks: boolean;
  checks: CheckRowView[];
  checksCount: string;
  recordCheckHref: string | null;
  history: HistoryRowView[];
  /**
   * The legal hold section: the hold in force (for everyone who sees the page), and the form to
   * place or lift one (for HR and admins, about someone else). Null: neither applies.
   */
  legalHold: {
    active: {
      reason: string | null;
      placedAt: string;
      placedText: string;
      placedBy: string;
    } | null;
    canManage: boolean;
    /** The form's reason as typed when it came back, and why it did. */
    reason: string;
    error: string | null;
  } | null;
  /** Reminders and escalations about the person; null for whoever may not read the outbox. */
  followUp: {
    lastReminded: string;
    lastEscalated: string;
    messages: OutboxRowView[];
    more: boolean;
    canSend: boolean;
    outcome: string | null;
    problem: string | null;
  } | null;
}

export function requirementRow(
  s: RequirementStanding,
  titles: ReadonlyMap<string, string>,
  today: CalendarDay,
  canWaive: boolean,
): RequirementRowView {
  return {
    requirementId: s.requirementId,
    cycle: s.cycle,
    title: titles.get(s.subject) ?? label(s.subject),
    kind: label(s.kind),
    statusText: standingText(s),
    tagClass: tagClassOf(s.status),
    dueDate: s.dueDate,
    dueText: s.open ? dueText(s.dueDate, today) : humanDate(s.dueDate),
    waivable: canWaive && s.open,
  };
}

export function attestationRow(
  a: AttestationRow,
  titles: ReadonlyMap<string, string>,
): AttestationRowView {
  return {
    title: titles.get(a.documentId) ?? label(a.documentId),
    kind: a.kind === 'training' ? 'Training passed' : 'Signed',
    version: a.version,
    at: a.createdAt.toISOString(),
    atText: humanInstant(a.createdAt),
    href: `/attestations/${a.id}/pdf`,
  };
}

export function checkRow(c: CheckRow): CheckRowView {
  return {
    id: c.id,
    type: label(c.type),
    status: label(c.status),
    jurisdiction: c.jurisdiction,
    updatedAt: c.updatedAt.toISOString(),
    updatedText: humanInstant(c.updatedAt),
  };
}

const PERSON_ACTIONS: Record<string, string> = {
  'person.created': 'Added to Attest',
  'person.updated': 'HR details changed',
  'person.roles_changed': 'Roles changed',
};

export function historyRow(h: HistoryRow, titles: ReadonlyMap<string, string>): HistoryRowView {
  const title = (id: string) => titles.get(id) ?? label(id);
  const by = h.actorName ?? (h.source === 'sso' ? 'Identity provider' : label(h.source));
  switch (h.what) {
    case 'completed':
      return row(h, `Completed: ${title(h.subject)}`, h.detail ? `Version ${h.detail}` : '', by);
    case 'waived':
      return row(h, `Waived: ${title(h.subject)}`, h.note ?? '', by);
    case 'check':
      return row(
        h,
        `${label(h.subject)} check: ${label(h.detail)}`,
        h.fromStatus ? `Was ${label(h.fromStatus).toLowerCase()}` : 'Recorded',
        by,
      );
    case 'person':
      return row(
        h,
        PERSON_ACTIONS[h.subject] ?? title(h.subject),
        h.note ? `Changed: ${h.note.replace(/_/g, ' ')}` : '',
        by,
      );
  }
}

function row(h: HistoryRow, what: string, detail: string, by: string): HistoryRowView {
  return { at: h.at.toISOString(), atText: humanInstant(h.at), what, detail, by };
}

export function checksCount(n: number): string {
  return plural(n, 'background check');
}
