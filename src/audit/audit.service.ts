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

  record(event: NewAuditEvent): Promise<AuditEvent> {
    return this.events.append(event, this.clock.now());
  }
}
