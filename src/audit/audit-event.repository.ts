import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { AuditEvent } from './audit-event.entity';
import { GENESIS_HASH, hashAuditEvent } from './audit-hash';

export interface NewAuditEvent {
  readonly action: string;
  readonly actorId?: string | null;
  readonly subjectType?: string | null;
  readonly subjectId?: string | null;
  readonly details?: Record<string, unknown>;
  readonly requestId?: string | null;
}

/** Serialises appends so that each event links to exactly one predecessor. */
const AUDIT_CHAIN_LOCK = 0x41545354; // "ATST"

/** Appends to the audit log and reads it. There is deliberately no update or delete. */
@Injectable()
export class AuditEventRepository {
  constructor(private readonly em: EntityManager) {}

  async append(event: NewAuditEvent, now: Date): Promise<AuditEvent> {
    return this.em.fork().transactional(async (em) => {
      // em.execute runs inside this transaction; the connection's own execute would take a
      // second pooled connection, and the embedded database has only one.
      await em.execute('select pg_advisory_xact_lock(?)', [AUDIT_CHAIN_LOCK]);
      const [last] = await em.execute<{ hash: string }[]>(
        'select hash from audit_event order by seq desc limit 1',
      );
      const [{ seq }] = await em.execute<{ seq: string }[]>(
        "select nextval(pg_get_serial_sequence('audit_event', 'seq'))::text as seq",
      );
      const content = {
        seq,
        occurredAt: now,
        actorId: event.actorId ?? null,
        action: event.action,
        subjectType: event.subjectType ?? null,
        subjectId: event.subjectId ?? null,
        details: event.details ?? {},
        requestId: event.requestId ?? null,
        prevHash: last?.hash ?? GENESIS_HASH,
      };
      const row = em.create(AuditEvent, { ...content, hash: hashAuditEvent(content) });
      em.persist(row);
      return row;
    });
  }

  async findByAction(action: string, limit = 100): Promise<AuditEvent[]> {
    return this.em.fork().find(AuditEvent, { action }, { orderBy: { seq: 'asc' }, limit });
  }
}
