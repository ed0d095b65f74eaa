import type { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import type { AuditEvent } from './audit-event.entity';
import { AuditEventRepository, type NewAuditEvent } from './audit-event.repository';

/** Records what happened. Callers pass ids only: the audit log holds no names or emails. */
@Injectable()
export class AuditService {
  constructor(
    private readonly events: AuditEventRepository,
    private readonly clock: Clock,
  ) {}

  /** Appends the event in a transaction of its own. */
  record(event: NewAuditEvent): Promise<AuditEvent> {
    return this.events.append(event, this.clock.now());
  }

  /**
   * Appends the event at most once per `windowMs` for the same action, subject and client
   * address: for what anonymous clients can repeat at will (public verifications, refused
   * sign-in attempts), so that they cannot grow the append-only log without bound.
   */
  recordOncePer(windowMs: number, event: NewAuditEvent): Promise<AuditEvent | null> {
    const now = this.clock.now();
    return this.events.appendUnlessSince(event, now, new Date(now.getTime() - windowMs));
  }

  /**
   * Appends the event in the caller's transaction, so the state change and its record commit
   * together or not at all. It holds the audit chain's lock until that transaction ends: record
   * last, just before committing.
   */
  recordIn(em: EntityManager, event: NewAuditEvent): Promise<AuditEvent> {
    return this.events.appendIn(em, event, this.clock.now());
  }
}
