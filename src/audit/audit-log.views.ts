import { humanInstant } from '../common/labels';
import { canonicalJson } from './audit-hash';
import { actorName, type AuditNames, subjectName } from './audit-names.reader';
import type { AuditLogQuery } from './dto/audit-log.dto';
import type { AuditLogFilter, StoredAuditEvent } from './stored-audit-event';

/** One row of the audit page. */
export interface AuditEventView {
  readonly seq: string;
  /** ISO 8601 in UTC, to the millisecond, as hashed. */
  readonly occurredAt: string;
  /** The same instant in words, in UTC. */
  readonly occurredAtText: string;
  readonly actorId: string | null;
  /** Who the actor is, in words: a person's name, "Attest (system)", an API token. */
  readonly actorName: string | null;
  /** The page filtered to this actor. */
  readonly actorUrl: string | null;
  readonly action: string;
  /** Details as JSON, or null when there are none. */
  readonly details: string | null;
  /** `Payload purged under retention on 7 Dec 2033`, or null when it is whole. */
  readonly purged: string | null;
  readonly subject: string | null;
  /** What the subject is, in words: "Jane Doe", "Criminal record check of Jane Doe". */
  readonly subjectName: string | null;
  readonly subjectUrl: string | null;
  readonly ip: string | null;
  readonly userAgent: string | null;
  readonly hash: string;
  readonly hashShort: string;
  readonly prevHash: string;
}

export interface AuditLogView {
  readonly title: string;
  /** The filters as typed, to fill the form again. */
  readonly filters: Readonly<Record<keyof Omit<AuditLogQuery, 'before'>, string>>;
  readonly filtered: boolean;
  readonly events: readonly AuditEventView[];
  /** There is an older page, or this is not the newest one. */
  readonly paged: boolean;
  readonly olderUrl: string | null;
  readonly newestUrl: string | null;
  readonly csvUrl: string;
}

/** The CSV's columns: every stored field, so the export can be checked against the chain. */
export const AUDIT_CSV_COLUMNS = [
  'seq',
  'occurred_at',
  'actor_id',
  'action',
  'subject_type',
  'subject_id',
  'details',
  'request_id',
  'ip',
  'user_agent',
  'prev_hash',
  'hash',
  // Set when a retention purge cleared details, ip and user_agent: the hash then cannot be
  // recomputed from the row (see src/audit/audit-purge.ts).
  'purged_at',
] as const;

const FILTER_KEYS = ['action', 'actor', 'subjectType', 'subjectId', 'from', 'to'] as const;

/** A URL of the audit log with these filters (and page), leaving out empty ones. */
export function auditLogUrl(path: '/audit' | '/audit.csv', query: Partial<AuditLogQuery>): string {
  const params = new URLSearchParams();
  for (const key of [...FILTER_KEYS, 'before'] as const) {
    const value = query[key];
    if (value) params.set(key, value);
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

export function filterOf(query: AuditLogQuery): AuditLogFilter {
  const prefix = query.action?.endsWith('*') ? query.action.slice(0, -1) : undefined;
  return {
    action: prefix === undefined ? query.action : undefined,
    actionPrefix: prefix,
    actorId: query.actor,
    subjectType: query.subjectType,
    subjectId: query.subjectId,
    from: query.from ? new Date(`${query.from}T00:00:00.000Z`) : undefined,
    // The to date is inclusive: everything before the next midnight, UTC.
    until: query.to ? new Date(Date.parse(`${query.to}T00:00:00.000Z`) + 86_400_000) : undefined,
  };
}

export function filtersForm(query: AuditLogQuery): AuditLogView['filters'] {
  return Object.fromEntries(FILTER_KEYS.map((k) => [k, query[k] ?? ''])) as AuditLogView['filters'];
}

export function toEventView(
  event: StoredAuditEvent,
  names: AuditNames = new Map(),
): AuditEventView {
  const subject = [event.subjectType, event.subjectId].filter(Boolean).join(' ');
  return {
    seq: event.seq,
    occurredAt: event.occurredAt.toISOString(),
    occurredAtText: humanInstant(event.occurredAt),
    actorId: event.actorId,
    actorName: actorName(names, event.actorId) ?? null,
    actorUrl: event.actorId ? auditLogUrl('/audit', { actor: event.actorId }) : null,
    action: event.action,
    details: Object.keys(event.details).length > 0 ? JSON.stringify(event.details) : null,
    purged: event.purgedAt
      ? `Payload purged under the retention policy on ${humanInstant(event.purgedAt)}`
      : null,
    subject: subject || null,
    subjectName: subjectName(names, event.subjectType, event.subjectId) ?? null,
    subjectUrl:
      event.subjectType || event.subjectId
        ? auditLogUrl('/audit', {
            subjectType: event.subjectType ?? undefined,
            subjectId: event.subjectId ?? undefined,
          })
        : null,
    ip: event.ip,
    userAgent: event.userAgent,
    hash: event.hash,
    hashShort: event.hash.slice(0, 12),
    prevHash: event.prevHash,
  };
}

export function toCsvRow(event: StoredAuditEvent): unknown[] {
  return [
    event.seq,
    event.occurredAt,
    event.actorId,
    event.action,
    event.subjectType,
    event.subjectId,
    // As hashed, so that anyone can recompute an event's hash from its row.
    canonicalJson(event.details),
    event.requestId,
    event.ip,
    event.userAgent,
    event.prevHash,
    event.hash,
    event.purgedAt,
  ];
}
