import { AuditEventSchema } from '../audit/audit-event.entity';

/** Every entity schema the ORM knows. Listed explicitly: no folder scanning at start-up. */
export const ENTITIES = [AuditEventSchema];
