import { createHash } from 'node:crypto';

/** The hash that stands before the first event of the chain. */
export const GENESIS_HASH = '0'.repeat(64);

export interface HashedEventContent {
  readonly seq: string;
  readonly occurredAt: Date;
  readonly actorId: string | null;
  readonly action: string;
  readonly subjectType: string | null;
  readonly subjectId: string | null;
  readonly details: Record<string, unknown>;
  readonly requestId: string | null;
  /**
   * Request context, added after the first events were written. Hashed only when present, so
   * that every earlier event (where they are null) keeps exactly the hash it was written with.
   */
  readonly ip?: string | null;
  readonly userAgent?: string | null;
  readonly prevHash: string;
}

/** JSON with object keys sorted at every depth, so the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** What is hashed: the content, without the request context's nulls (see above). */
export function hashedContent(content: HashedEventContent): Record<string, unknown> {
  return { ...content, ip: content.ip ?? undefined, userAgent: content.userAgent ?? undefined };
}

/** SHA-256 over the event's content and its predecessor's hash: editing any row breaks the chain. */
export function hashAuditEvent(content: HashedEventContent): string {
  return createHash('sha256')
    .update(canonicalJson(hashedContent(content)))
    .digest('hex');
}
