import { createHash } from 'node:crypto';
import { RETENTION_ACTION_PREFIX } from './audit-event.entity';
import { canonicalJson } from './audit-hash';
import type { StoredAuditEvent } from './stored-audit-event';

/**
 * How a retention purge of audit payloads stays verifiable.
 *
 * An event's hash covers its whole content, payload included, so once the payload (details,
 * client address, browser) is cleared the hash cannot be recomputed. What stays is still bound:
 * - the event's own hash and link stay, so the chain through it verifies as before: its
 *   prev_hash must be its predecessor's hash, and its successor must link to its hash;
 * - the purge checks each event against its hash before clearing it (an edited event is never
 *   laundered by a purge), and appends, in the same transaction, a `retention.purged` event
 *   naming the seqs it cleared and the SHA-256 of their kept fields (below). That event is
 *   hashed and chained like any other, so the kept fields of every purged event (when, what,
 *   who, about whom) are protected by a hash that the verifier does recompute.
 * The verifier then requires every purged event to be claimed by exactly one such purge event
 * after it, with matching kept fields.
 */
export const AUDIT_PURGE_ACTION = `${RETENTION_ACTION_PREFIX}purged`;

/** The `kind` of a purge event that cleared audit payloads. */
export const AUDIT_PAYLOADS_KIND = 'audit_events';

/** What a purge keeps of an event: everything but details, ip and user agent. */
function keptFields(event: StoredAuditEvent) {
  return {
    seq: event.seq,
    occurredAt: event.occurredAt,
    actorId: event.actorId,
    action: event.action,
    subjectType: event.subjectType,
    subjectId: event.subjectId,
    requestId: event.requestId,
    prevHash: event.prevHash,
    hash: event.hash,
  };
}

/** SHA-256 over the kept fields of these events, in seq order. */
export function keptFieldsDigest(events: readonly StoredAuditEvent[]): string {
  const sorted = [...events].sort((a, b) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : 1));
  return createHash('sha256')
    .update(canonicalJson(sorted.map(keptFields)))
    .digest('hex');
}

/** A purged event looks exactly as the purge leaves it: the trigger allows nothing else. */
export function purgedAsRetentionLeavesIt(event: StoredAuditEvent): boolean {
  return (
    event.purgedAt !== null &&
    Object.keys(event.details).length === 0 &&
    event.ip === null &&
    event.userAgent === null &&
    event.subjectType === 'person' &&
    !event.action.startsWith(RETENTION_ACTION_PREFIX)
  );
}

/** What a purge event of audit payloads records. */
export interface AuditPurgeDetails {
  readonly kind: typeof AUDIT_PAYLOADS_KIND;
  readonly count: number;
  readonly rule: string;
  /** The purged seqs as ranges: `12-40,55`. */
  readonly seqs: string;
  readonly keptSha256: string;
}

export function isAuditPurge(event: StoredAuditEvent): boolean {
  return event.action === AUDIT_PURGE_ACTION && event.details.kind === AUDIT_PAYLOADS_KIND;
}

/** `1-5,9,12-14`: seq values as ranges, for a purge event that names what it purged. */
export function toRanges(values: readonly bigint[]): string {
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1n) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** The inverse of {@link toRanges}; null when the text is not ranges in ascending order. */
export function fromRanges(text: string, limit = 100_000): bigint[] | null {
  if (text === '') return [];
  const values: bigint[] = [];
  for (const part of text.split(',')) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!match) return null;
    const first = BigInt(match[1]);
    const last = match[2] === undefined ? first : BigInt(match[2]);
    if (last < first || (values.length > 0 && first <= values[values.length - 1])) return null;
    if (values.length + Number(last - first) + 1 > limit) return null;
    for (let v = first; v <= last; v++) values.push(v);
  }
  return values;
}
