import { IsolationLevel } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { prepared, runPrepared } from '../database/prepared-statement';
import { AUDIT_CHAIN_HEAD_ID } from './audit-chain-head.entity';
import { currentAuditClient } from './audit-client.context';
import { AuditEvent } from './audit-event.entity';
import {
  canonicalJson,
  GENESIS_HASH,
  hashAuditEvent,
  hashedContent,
  type HashedEventContent,
} from './audit-hash';
import {
  type AuditChainReader,
  type AuditLogFilter,
  type ChainHead,
  STORED_EVENT_COLUMNS,
  type StoredAuditEvent,
  type StoredEventRow,
  toStoredEvent,
} from './stored-audit-event';

export interface NewAuditEvent {
  readonly action: string;
  readonly actorId?: string | null;
  readonly subjectType?: string | null;
  readonly subjectId?: string | null;
  readonly details?: Record<string, unknown>;
  readonly requestId?: string | null;
  /** The client's address as the app sees it (after any trusted proxy). */
  readonly ip?: string | null;
  readonly userAgent?: string | null;
}

/** An event's content but for its place in the chain. */
type EventFields = Omit<HashedEventContent, 'seq' | 'prevHash'> & {
  readonly requestId: string | null;
  readonly ip: string | null;
  readonly userAgent: string | null;
};

/** occurred_at (ms since the epoch) to user_agent, in the order both inserts list them. */
const columnValues = (fields: EventFields) => [
  fields.occurredAt.getTime(),
  fields.actorId,
  fields.action,
  fields.subjectType,
  fields.subjectId,
  JSON.stringify(fields.details),
  fields.requestId,
  fields.ip,
  fields.userAgent,
];

/** Serialises appends so that each event links to exactly one predecessor. */
const AUDIT_CHAIN_LOCK = 0x41545354; // "ATST"

/**
 * Cut to the column's length in characters (varchar counts code points, and a cut surrogate
 * pair would be stored as something other than what was hashed); NUL cannot be stored at all.
 */
function fit(value: string | null | undefined, max: number): string | null {
  if (value === null || value === undefined || value === '') return null;
  return Array.from(value.replace(/\0/g, '')).slice(0, max).join('') || null;
}

/**
 * The client columns as stored: what the event says, or else (undefined) the client of the
 * request being served, so every event recorded during a request names it.
 */
function clientColumns(event: NewAuditEvent) {
  const client = currentAuditClient();
  return {
    requestId:
      event.requestId === undefined ? fit(client?.requestId, 64) : (event.requestId ?? null),
    ip: fit(event.ip === undefined ? client?.ip : event.ip, 64),
    userAgent: fit(event.userAgent === undefined ? client?.userAgent : event.userAgent, 512),
  };
}

/**
 * Appends one event after the head (see appendLinked): the head id, the columns, the three
 * pieces of canonical JSON around the chain slots, the head id again.
 */
const APPEND_LINKED =
  prepared(`with head as (select hash from audit_chain_head where id = ? for update),
 link as (select nextval(pg_get_serial_sequence('audit_event', 'seq')) as seq,
                 hash as prev_hash from head),
 event as (
   insert into audit_event (seq, occurred_at, actor_id, action, subject_type, subject_id,
                            details, request_id, ip, user_agent, prev_hash, hash)
   select link.seq, timestamptz 'epoch' + ?::double precision * interval '1 millisecond', ?, ?, ?, ?,
          ?::jsonb, ?, ?, ?, link.prev_hash,
          encode(sha256(convert_to(?::text || link.prev_hash || ?::text || link.seq::text || ?::text,
                                   'UTF8')), 'hex')
     from link
   returning seq, prev_hash, hash)
 update audit_chain_head h set seq = event.seq, hash = event.hash from event
  where h.id = ?
 returning event.seq::text as seq, event.prev_hash, event.hash`);

/** Appends to the audit log and reads it. There is deliberately no update or delete. */
@Injectable()
export class AuditEventRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * Appends one event. Given the caller's transactional EntityManager, the event is written in
   * that transaction: it commits or rolls back with the state change it records. The chain lock
   * is then held until the caller commits, so append last and commit soon.
   */
  async append(event: NewAuditEvent, now: Date, em?: EntityManager): Promise<AuditEvent> {
    if (!em) return this.em.fork().transactional((tx) => this.appendIn(tx, event, now));
    return this.appendIn(em, event, now);
  }

  async appendIn(em: EntityManager, event: NewAuditEvent, now: Date): Promise<AuditEvent> {
    // Outside a transaction the advisory lock would end with its own statement, and two appends
    // could link to the same predecessor.
    if (!em.isInTransaction()) {
      throw new Error('AuditEventRepository.appendIn needs an EntityManager in a transaction');
    }
    // em.execute runs inside this transaction; the connection's own execute would take a
    // second pooled connection, and the embedded database has only one.
    const fields = {
      occurredAt: now,
      actorId: event.actorId ?? null,
      action: event.action,
      subjectType: event.subjectType ?? null,
      subjectId: event.subjectId ?? null,
      details: event.details ?? {},
      ...clientColumns(event),
    };
    const chained = (await this.appendLinked(em, fields)) ?? (await this.appendFirst(em, fields));
    return em.create(AuditEvent, chained, { persist: false });
  }

  /**
   * The append in one statement: lock the head, take the next seq, insert the event hashed by
   * the database over the same canonical JSON the verifier hashes, move the head. The chain's
   * lock is held from this statement to the commit, and every signer waits for it, so no round
   * trip happens in between. Null when there is no head row yet.
   */
  private async appendLinked(
    em: EntityManager,
    fields: EventFields,
  ): Promise<(HashedEventContent & { hash: string }) | null> {
    // The canonical JSON with the two values only the database knows cut out, at stand-ins no
    // content can guess: both are hex or digits, which JSON writes as they are, so the
    // database's concatenation is byte for byte the JSON hashAuditEvent would write.
    const slot = { seq: `seq-${randomUUID()}`, prevHash: `prev-${randomUUID()}` };
    const parts = canonicalJson(hashedContent({ ...fields, ...slot }))
      .split(slot.prevHash)
      .flatMap((part, i) => (i === 0 ? [part] : part.split(slot.seq)));
    if (parts.length !== 3) throw new Error('An audit event’s JSON holds its chain slots twice');
    const [before, between, after] = parts;
    const [row] = await runPrepared<{ seq: string; prev_hash: string; hash: string }>(
      em,
      APPEND_LINKED,
      [AUDIT_CHAIN_HEAD_ID, ...columnValues(fields), before, between, after, AUDIT_CHAIN_HEAD_ID],
    );
    if (!row) return null;
    const content = { ...fields, seq: row.seq, prevHash: row.prev_hash };
    // The verifier hashes in Node: refuse (and roll back) anything it would not accept.
    if (hashAuditEvent(content) !== row.hash) {
      throw new Error('The database hashed an audit event differently from the verifier');
    }
    return { ...content, hash: row.hash };
  }

  /**
   * No head row yet (an empty log, or one written before the head existed): its first writer
   * creates it, so those writers queue on the advisory lock instead. Whoever was queued behind
   * that writer finds the head once it commits, and appends through it under the row's lock.
   */
  private async appendFirst(
    em: EntityManager,
    fields: EventFields,
  ): Promise<HashedEventContent & { hash: string }> {
    await em.execute('select pg_advisory_xact_lock(?)', [AUDIT_CHAIN_LOCK]);
    const linked = await this.appendLinked(em, fields);
    if (linked) return linked;
    const prevHash = (await this.headIn(em))?.hash ?? (await this.lastHashIn(em)) ?? GENESIS_HASH;
    const [{ seq }] = await em.execute<{ seq: string }[]>(
      "select nextval(pg_get_serial_sequence('audit_event', 'seq'))::text as seq",
    );
    const content = { ...fields, seq, prevHash };
    const hash = hashAuditEvent(content);
    await em.execute(
      `with event as (
         insert into audit_event (seq, occurred_at, actor_id, action, subject_type, subject_id,
                                  details, request_id, ip, user_agent, prev_hash, hash)
         values (?, timestamptz 'epoch' + ? * interval '1 millisecond', ?, ?, ?, ?, ?::jsonb,
                 ?, ?, ?, ?, ?)
         returning seq, hash)
       insert into audit_chain_head (id, seq, hash) select ?, seq, hash from event
       on conflict (id) do update set seq = excluded.seq, hash = excluded.hash`,
      [seq, ...columnValues(fields), prevHash, hash, AUDIT_CHAIN_HEAD_ID],
    );
    return { ...content, hash };
  }

  /**
   * Appends the event unless one with the same action, subject and client address was appended
   * at or after `since`; then it returns null and the log does not grow. Checked under the
   * chain's lock, so two concurrent requests cannot both append.
   */
  async appendUnlessSince(
    event: NewAuditEvent,
    now: Date,
    since: Date,
  ): Promise<AuditEvent | null> {
    return this.em.fork().transactional(async (tx) => {
      await tx.execute('select pg_advisory_xact_lock(?)', [AUDIT_CHAIN_LOCK]);
      const [seen] = await tx.execute<{ seen: number }[]>(
        'select 1 as seen from audit_event where action = ? and occurred_at >= ?' +
          ' and subject_type is not distinct from ? and subject_id is not distinct from ?' +
          ' and ip is not distinct from ? limit 1',
        [
          event.action,
          since,
          event.subjectType ?? null,
          event.subjectId ?? null,
          clientColumns(event).ip,
        ],
      );
      return seen ? null : this.appendIn(tx, event, now);
    });
  }

  async findByAction(action: string, limit = 100): Promise<AuditEvent[]> {
    return this.em.fork().find(AuditEvent, { action }, { orderBy: { seq: 'asc' }, limit });
  }

  /** One page of the log, newest first, strictly before `beforeSeq` when given. */
  findNewest(filter: AuditLogFilter, beforeSeq: string | undefined, limit: number) {
    return this.select(this.em.fork(), filter, { seq: beforeSeq, direction: 'desc' }, limit);
  }

  /** One batch of the log, oldest first, strictly after `afterSeq` when given. */
  findOldest(filter: AuditLogFilter, afterSeq: string | undefined, limit: number) {
    return this.select(this.em.fork(), filter, { seq: afterSeq, direction: 'asc' }, limit);
  }

  /**
   * Runs `work` against one consistent snapshot of the log and its head (repeatable read,
   * read-only), so events appended meanwhile cannot make a sound chain look broken.
   */
  readChain<T>(work: (reader: AuditChainReader) => Promise<T>): Promise<T> {
    return this.em.fork().transactional(
      (tx) =>
        work({
          eventsAfter: (afterSeq, limit) =>
            this.select(tx, {}, { seq: afterSeq, direction: 'asc' }, limit),
          seqOfHash: async (hash) => {
            const [row] = await tx.execute<{ seq: string }[]>(
              'select seq::text as seq from audit_event where hash = ?',
              [hash],
            );
            return row?.seq ?? null;
          },
          head: () => this.headIn(tx),
          eventsAt: (seqs) => this.eventsAtIn(tx, seqs),
        }),
      { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true },
    );
  }

  /** The events with these seqs, in seq order: for checking a purge, in the purge or the walk. */
  async eventsAtIn(em: EntityManager, seqs: readonly string[]): Promise<StoredAuditEvent[]> {
    if (seqs.length === 0) return [];
    const rows = await em.execute<StoredEventRow[]>(
      `select ${STORED_EVENT_COLUMNS} from audit_event
        where seq in (select jsonb_array_elements_text(?::jsonb)::bigint)
        order by audit_event.seq`,
      [JSON.stringify(seqs)],
    );
    return rows.map(toStoredEvent);
  }

  private async headIn(em: EntityManager): Promise<ChainHead | null> {
    const [head] = await em.execute<ChainHead[]>(
      'select seq::text as seq, hash from audit_chain_head where id = ?',
      [AUDIT_CHAIN_HEAD_ID],
    );
    return head ?? null;
  }

  /** Only for a log without a head row: one written before the head existed, or an empty one. */
  private async lastHashIn(em: EntityManager): Promise<string | null> {
    const [last] = await em.execute<{ hash: string }[]>(
      'select hash from audit_event order by seq desc limit 1',
    );
    return last?.hash ?? null;
  }

  private async select(
    em: EntityManager,
    filter: AuditLogFilter,
    cursor: { seq: string | undefined; direction: 'asc' | 'desc' },
    limit: number,
  ): Promise<StoredAuditEvent[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      where.push(sql);
      params.push(value);
    };
    if (cursor.seq !== undefined)
      add(cursor.direction === 'asc' ? 'seq > ?' : 'seq < ?', cursor.seq);
    if (filter.action !== undefined) add('action = ?', filter.action);
    if (filter.actionPrefix !== undefined) {
      add("action like ? escape '\\'", `${filter.actionPrefix.replace(/[\\%_]/g, '\\$&')}%`);
    }
    if (filter.actorId !== undefined) add('actor_id = ?', filter.actorId);
    if (filter.subjectType !== undefined) add('subject_type = ?', filter.subjectType);
    if (filter.subjectId !== undefined) add('subject_id = ?', filter.subjectId);
    if (filter.from !== undefined) add('occurred_at >= ?', filter.from);
    if (filter.until !== undefined) add('occurred_at < ?', filter.until);
    // Ordered by the column, qualified: the select list's `seq` is its text, which sorts 10 < 2.
    const rows = await em.execute<StoredEventRow[]>(
      `select ${STORED_EVENT_COLUMNS} from audit_event` +
        (where.length ? ` where ${where.join(' and ')}` : '') +
        ` order by audit_event.seq ${cursor.direction} limit ?`,
      [...params, limit],
    );
    return rows.map(toStoredEvent);
  }
}
