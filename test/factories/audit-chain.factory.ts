import { GENESIS_HASH, hashAuditEvent } from '../../src/audit/audit-hash';
import type { NewAuditEvent } from '../../src/audit/audit-event.repository';
import type {
  AuditChainReader,
  ChainHead,
  StoredAuditEvent,
} from '../../src/audit/stored-audit-event';

/** The n-th event of a test log: varied content, request context on every other one. */
export function auditEventInput(n: number, overrides: Partial<NewAuditEvent> = {}): NewAuditEvent {
  return {
    action: n % 3 === 0 ? 'person.updated' : 'document.signed',
    actorId: `person-${n % 4}`,
    subjectType: 'document',
    subjectId: `doc-${n}`,
    details: { n, version: `1.${n}` },
    requestId: `req-${n}`,
    ...(n % 2 === 0 ? { ip: `192.0.2.${n % 250}`, userAgent: `Browser/${n}` } : {}),
    ...overrides,
  };
}

/** An event as Attest would have stored it after `prevHash`, with its hash computed. */
export function storedEvent(
  seq: number | string,
  prevHash: string,
  input: NewAuditEvent = auditEventInput(Number(seq)),
): StoredAuditEvent {
  const content = {
    seq: String(seq),
    occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, Number(seq))),
    actorId: input.actorId ?? null,
    action: input.action,
    subjectType: input.subjectType ?? null,
    subjectId: input.subjectId ?? null,
    details: input.details ?? {},
    requestId: input.requestId ?? null,
    ip: input.ip ?? null,
    userAgent: input.userAgent ?? null,
    prevHash,
  };
  return { ...content, hash: hashAuditEvent(content), occurredAtExact: true, purgedAt: null };
}

/** A sound chain over these seq values (gaps allowed, as rolled-back appends leave them). */
export function auditChain(seqs: readonly number[]): StoredAuditEvent[] {
  const chain: StoredAuditEvent[] = [];
  for (const seq of seqs) chain.push(storedEvent(seq, chain.at(-1)?.hash ?? GENESIS_HASH));
  return chain;
}

export function headOf(chain: readonly StoredAuditEvent[]): ChainHead | null {
  const last = chain.at(-1);
  return last ? { seq: last.seq, hash: last.hash } : null;
}

/** A reader over rows held in memory, counting how many rows it hands out per query. */
export function inMemoryChainReader(
  rows: readonly StoredAuditEvent[],
  head: ChainHead | null,
): AuditChainReader & { largestBatch: number } {
  const sorted = [...rows].sort((a, b) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : 1));
  const reader = {
    largestBatch: 0,
    eventsAfter(afterSeq: string | undefined, limit: number) {
      const after = afterSeq === undefined ? -1n : BigInt(afterSeq);
      const batch = sorted.filter((e) => BigInt(e.seq) > after).slice(0, limit);
      reader.largestBatch = Math.max(reader.largestBatch, batch.length);
      return Promise.resolve(batch);
    },
    seqOfHash: (hash: string) => Promise.resolve(sorted.find((e) => e.hash === hash)?.seq ?? null),
    head: () => Promise.resolve(head),
    eventsAt: (seqs: readonly string[]) =>
      Promise.resolve(sorted.filter((e) => seqs.includes(e.seq))),
  };
  return reader;
}
