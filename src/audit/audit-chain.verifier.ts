import { Injectable } from '@nestjs/common';
import { AuditEventRepository } from './audit-event.repository';
import { GENESIS_HASH } from './audit-hash';
import {
  type AuditPurgeDetails,
  fromRanges,
  isAuditPurge,
  keptFieldsDigest,
  purgedAsRetentionLeavesIt,
} from './audit-purge';
import {
  type AuditChainReader,
  type ChainHead,
  expectedHashOf,
  type StoredAuditEvent,
} from './stored-audit-event';

export type ChainProblemKind = 'edited' | 'deleted' | 'inserted' | 'reordered';

export interface ChainProblem {
  readonly kind: ChainProblemKind;
  /** The event named (for a deletion: the first missing seq); null if no event can be named. */
  readonly seq: string | null;
  readonly message: string;
}

export type ChainVerdict =
  | {
      readonly intact: true;
      readonly events: number;
      readonly head: ChainHead | null;
      /** Events whose payload a retention purge cleared: linked and vouched for, not re-hashed. */
      readonly purged: number;
    }
  | { readonly intact: false; readonly events: number; readonly problem: ChainProblem };

export interface VerifyChainOptions {
  /** Events read per query; memory stays at one batch however long the log is. */
  readonly batchSize?: number;
  /** How often, in events, onProgress is called. */
  readonly progressEvery?: number;
  readonly onProgress?: (checked: number, lastSeq: string) => void;
}

interface Linked {
  readonly seq: string;
  readonly hash: string;
}

const gt = (a: string, b: string) => BigInt(a) > BigInt(b);

/**
 * Walks the audit log in seq order and reports the first problem, naming the event.
 *
 * What Attest guarantees when it appends (under one lock, in one transaction): the event's seq
 * comes from the sequence, its prev_hash is the chain head's hash (GENESIS_HASH for the first
 * event), its hash is SHA-256 over its content including seq and prev_hash, and the head then
 * records its seq and hash. Seq may skip values: a transaction that took one and rolled back
 * leaves a gap that is not a deletion. So gaps alone prove nothing; the hash links do.
 *
 * The rules, for each event E with P the event before it in seq order:
 * 1. E beyond the head's seq: **inserted** (Attest never wrote past its head).
 * 2. E links to P (or, being first, to GENESIS_HASH):
 *    its content must hash to its stored hash, else E was **edited**.
 * 3. Otherwise the link is broken. Where does E's prev_hash point?
 *    a. to an event at or after E: **reordered** (seq order is not chain order; a row moved
 *       to another seq also fails its own hash, which is expected and not reported as an edit);
 *    b. E's own hash does not match its content: E was **edited** (its prev_hash, or more);
 *    c. to nothing, with seq values missing between P and E: the events between were
 *       **deleted** (the missing seqs are named; some may be rolled-back gaps);
 *    d. to nothing, with no seq missing: if the chain goes on from E (the next event, or the
 *       head, links to E), P was **edited** and its hash recomputed; else E was **inserted**;
 *    e. to an earlier event T than P: two events claim T as predecessor, a fork. If the chain
 *       goes on from E, the events after T up to P were **inserted**; else E was.
 * 4. After the last event L, the head must be L: a head beyond L means the newest events were
 *    **deleted**, the same seq with another hash means L was **edited** (hash recomputed).
 *
 * 5. A retention purge may have cleared an event's payload (details, ip, user agent; see
 *    audit-purge.ts). Its hash cannot be recomputed then, so rule 2 checks instead that it is
 *    left exactly as a purge leaves it, and its links are checked as for any event. A later
 *    `retention.purged` event must claim it, once, by seq, with the SHA-256 of its kept fields
 *    (when, what, who, about whom, its hash and link): that event's own hash is recomputed, so
 *    the kept fields stay protected. A purged event no purge claims, or claimed twice or with
 *    other kept fields, was **edited**.
 *
 * Limits: someone who rewrites an event and recomputes every later hash and the head, or who
 * appends well-formed events and moves the head, passes these checks; only a copy of the head
 * kept outside the database (the seq and hash `attest audit verify` prints) exposes that.
 */
export async function verifyAuditChain(
  reader: AuditChainReader,
  options: VerifyChainOptions = {},
): Promise<ChainVerdict> {
  const batchSize = options.batchSize ?? 5000;
  const progressEvery = options.progressEvery ?? 100_000;
  const head = await reader.head();
  let prev: Linked | null = null;
  let checked = 0;
  // Purged events not yet claimed by a purge event; purge events come after what they purge.
  const unclaimed = new Set<string>();
  let purged = 0;
  for (let batch = await reader.eventsAfter(undefined, batchSize); batch.length > 0;) {
    for (let i = 0; i < batch.length; i++) {
      const event = batch[i];
      const next = async () => batch[i + 1] ?? (await reader.eventsAfter(event.seq, 1))[0];
      const problem =
        (await check(reader, head, prev, event, next)) ??
        (isAuditPurge(event) ? await checkPurge(reader, event, unclaimed) : null);
      if (problem) return { intact: false, events: checked, problem };
      if (event.purgedAt !== null) {
        unclaimed.add(event.seq);
        purged++;
      }
      prev = event;
      checked++;
      if (checked % progressEvery === 0) options.onProgress?.(checked, event.seq);
    }
    batch = batch.length < batchSize ? [] : await reader.eventsAfter(prev?.seq, batchSize);
  }
  const [orphan] = unclaimed;
  const problem =
    checkEnd(head, prev) ??
    (orphan === undefined
      ? null
      : edited(orphan, 'its payload was cleared, but no retention purge accounts for it'));
  return problem
    ? { intact: false, events: checked, problem }
    : { intact: true, events: checked, head, purged };
}

/**
 * A purge of audit payloads must name events purged before it and not claimed yet, as many as
 * it says, whose kept fields still hash to what it recorded.
 */
async function checkPurge(
  reader: AuditChainReader,
  event: StoredAuditEvent,
  unclaimed: Set<string>,
): Promise<ChainProblem | null> {
  const details = event.details as Partial<AuditPurgeDetails>;
  const seqs = typeof details.seqs === 'string' ? fromRanges(details.seqs)?.map(String) : undefined;
  const claims = `the retention purge at event seq ${event.seq}`;
  if (!seqs || seqs.length !== details.count) {
    return edited(event.seq, 'its list of purged events does not match its count');
  }
  const missing = seqs.find((seq) => !unclaimed.has(seq));
  if (missing !== undefined) {
    return edited(
      missing,
      `${claims} names it as purged, but it is not purged or was already claimed`,
    );
  }
  const events = await reader.eventsAt(seqs);
  if (events.length !== seqs.length || keptFieldsDigest(events) !== details.keptSha256) {
    return edited(
      event.seq,
      `the events it purged (seq ${details.seqs}) no longer have the fields it recorded`,
    );
  }
  seqs.forEach((seq) => unclaimed.delete(seq));
  return null;
}

async function check(
  reader: AuditChainReader,
  head: ChainHead | null,
  prev: Linked | null,
  event: StoredAuditEvent,
  next: () => Promise<StoredAuditEvent | undefined>,
): Promise<ChainProblem | null> {
  const at = event.seq;
  if (head && gt(at, head.seq)) {
    return inserted(at, `it comes after the newest event Attest recorded, seq ${head.seq}`);
  }
  // A purged payload cannot be re-hashed: it must be as a purge leaves it (rule 5).
  const contentIntact =
    event.occurredAtExact &&
    (event.purgedAt === null
      ? expectedHashOf(event) === event.hash
      : purgedAsRetentionLeavesIt(event));
  if (event.prevHash === (prev?.hash ?? GENESIS_HASH)) {
    if (contentIntact) return null;
    return edited(
      at,
      event.purgedAt === null
        ? 'its content no longer matches its hash'
        : 'it is marked purged, but not as a retention purge leaves an event',
    );
  }
  const target = event.prevHash === GENESIS_HASH ? null : await reader.seqOfHash(event.prevHash);
  if (target !== null && gt(target, at)) {
    return {
      kind: 'reordered',
      seq: at,
      message: `event seq ${at} was reordered: it follows event seq ${target} in the chain, which comes after it`,
    };
  }
  if (!contentIntact || target === at) {
    return edited(at, 'its content no longer matches its hash');
  }
  if (event.prevHash === GENESIS_HASH) {
    return inserted(at, 'it claims to start the chain, which starts before it');
  }
  // The chain goes on from this event: the next event, or else the head, links to it.
  const continues = async () => {
    const after = await next();
    return after ? after.prevHash === event.hash : head?.hash === event.hash;
  };
  if (target === null) {
    const hole = deletedBetween(prev?.seq ?? '0', at);
    if (hole) return hole;
    if (!prev) return edited(at, 'it was rewritten and its hash recomputed');
    return (await continues())
      ? edited(prev.seq, `its hash was recomputed, but event seq ${at} still links to its old hash`)
      : inserted(at, 'it links to no stored event');
  }
  const [forkStart] = await reader.eventsAfter(target, 1);
  if (!prev || !forkStart) return inserted(at, 'it links to an event before its predecessor');
  if (await continues()) {
    const which =
      forkStart.seq === prev.seq
        ? `event seq ${forkStart.seq} was`
        : `events seq ${forkStart.seq} to ${prev.seq} were`;
    return {
      kind: 'inserted',
      seq: forkStart.seq,
      message: `${which} inserted: the chain goes from event seq ${target} straight to event seq ${at}`,
    };
  }
  return inserted(
    at,
    `it forks the chain at event seq ${target}, which already continues at seq ${forkStart.seq}`,
  );
}

function checkEnd(head: ChainHead | null, last: Linked | null): ChainProblem | null {
  if (!head) {
    return last
      ? {
          kind: 'deleted',
          seq: null,
          message: 'the chain head was deleted, so the end of the log cannot be checked',
        }
      : null;
  }
  if (!last) {
    return {
      kind: 'deleted',
      seq: head.seq,
      message: `every event, up to seq ${head.seq}, was deleted`,
    };
  }
  if (gt(head.seq, last.seq)) {
    const only = BigInt(head.seq) - BigInt(last.seq) === 1n;
    return {
      kind: 'deleted',
      seq: head.seq,
      message: only
        ? `event seq ${head.seq} was deleted: it was the newest event`
        : `events after seq ${last.seq} were deleted, the newest being seq ${head.seq}`,
    };
  }
  if (head.hash !== last.hash) {
    return edited(last.seq, 'its hash was recomputed (the chain head records another)');
  }
  return null;
}

/** Seq values missing between two neighbours, as a deletion; null when they are adjacent. */
function deletedBetween(before: string, after: string): ChainProblem | null {
  const missing = BigInt(after) - BigInt(before) - 1n;
  if (missing <= 0n) return null;
  const first = String(BigInt(before) + 1n);
  const message =
    missing === 1n
      ? `event seq ${first} was deleted`
      : before === '0'
        ? `events before seq ${after} were deleted`
        : `events between seq ${before} and seq ${after} were deleted`;
  return { kind: 'deleted', seq: first, message };
}

function edited(seq: string, why: string): ChainProblem {
  return { kind: 'edited', seq, message: `event seq ${seq} was edited: ${why}` };
}

function inserted(seq: string, why: string): ChainProblem {
  return { kind: 'inserted', seq, message: `event seq ${seq} was inserted: ${why}` };
}

/** `attest audit verify`: the whole chain, from one consistent snapshot of the database. */
@Injectable()
export class AuditChainVerifier {
  constructor(private readonly events: AuditEventRepository) {}

  verify(options: VerifyChainOptions = {}): Promise<ChainVerdict> {
    return this.events.readChain((reader) => verifyAuditChain(reader, options));
  }
}
