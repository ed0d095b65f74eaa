import { type HashedEventContent, hashAuditEvent } from './audit-hash';

/** An event as read back from audit_event: its content, its hash, and its link. */
export interface StoredAuditEvent extends HashedEventContent {
  readonly ip: string | null;
  readonly userAgent: string | null;
  readonly hash: string;
  /**
   * False when the stored time is more precise than the millisecond Attest writes and hashes:
   * the row was then changed outside Attest, even if its millisecond still matches.
   */
  readonly occurredAtExact: boolean;
  /**
   * When a retention purge cleared the payload (details, ip, user agent); null otherwise. A
   * purged event's hash can no longer be recomputed: see audit-purge.ts.
   */
  readonly purgedAt: Date | null;
}

/** Where the chain ends, as recorded by the last append. */
export interface ChainHead {
  readonly seq: string;
  readonly hash: string;
}

/** The reads the chain verifier needs, all from one snapshot of the database. */
export interface AuditChainReader {
  /** Events with seq above `afterSeq` (all when undefined), in seq order, at most `limit`. */
  eventsAfter(afterSeq: string | undefined, limit: number): Promise<StoredAuditEvent[]>;
  /** The seq of the event stored with this hash (hashes are unique), or null. */
  seqOfHash(hash: string): Promise<string | null>;
  head(): Promise<ChainHead | null>;
  /** The events stored with these seq values, in seq order (missing ones left out). */
  eventsAt(seqs: readonly string[]): Promise<StoredAuditEvent[]>;
}

/** What the audit page and its CSV filter on; every field is optional. */
export interface AuditLogFilter {
  readonly action?: string;
  /** Actions starting with this text, e.g. `auth.`. */
  readonly actionPrefix?: string;
  readonly actorId?: string;
  readonly subjectType?: string;
  readonly subjectId?: string;
  /** Inclusive. */
  readonly from?: Date;
  /** Exclusive. */
  readonly until?: Date;
}

/** The columns toStoredEvent reads; the time in microseconds, exactly as stored. */
export const STORED_EVENT_COLUMNS =
  'seq::text as seq, (extract(epoch from occurred_at) * 1000000)::bigint::text as occurred_us, ' +
  'actor_id, action, subject_type, subject_id, details, request_id, ip, user_agent, prev_hash, hash, ' +
  'purged_at';

export interface StoredEventRow {
  seq: string;
  occurred_us: string;
  actor_id: string | null;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  details: Record<string, unknown> | string;
  request_id: string | null;
  ip: string | null;
  user_agent: string | null;
  prev_hash: string;
  hash: string;
  purged_at: Date | string | null;
}

export function toStoredEvent(row: StoredEventRow): StoredAuditEvent {
  const micros = BigInt(row.occurred_us);
  return {
    seq: row.seq,
    occurredAt: new Date(Number(micros / 1000n)),
    occurredAtExact: micros % 1000n === 0n,
    actorId: row.actor_id,
    action: row.action,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    details:
      typeof row.details === 'string'
        ? (JSON.parse(row.details) as Record<string, unknown>)
        : row.details,
    requestId: row.request_id,
    ip: row.ip,
    userAgent: row.user_agent,
    prevHash: row.prev_hash,
    hash: row.hash,
    purgedAt: row.purged_at === null ? null : new Date(row.purged_at),
  };
}

/** The hash an event's stored content calls for: its own stored hash, if nobody changed it. */
export function expectedHashOf(event: StoredAuditEvent): string {
  const { seq, occurredAt, actorId, action, subjectType, subjectId, details, requestId } = event;
  return hashAuditEvent({
    seq,
    occurredAt,
    actorId,
    action,
    subjectType,
    subjectId,
    details,
    requestId,
    ip: event.ip,
    userAgent: event.userAgent,
    prevHash: event.prevHash,
  });
}
