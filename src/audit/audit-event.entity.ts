import { defineEntity, p } from '@mikro-orm/core';

export const AuditEventSchema = defineEntity({
  name: 'AuditEvent',
  tableName: 'audit_event',
  properties: {
    seq: p.bigint('string').primary().autoincrement(),
    occurredAt: p.datetime().index(),
    actorId: p.string().length(64).nullable(),
    action: p.string().length(100).index(),
    subjectType: p.string().length(64).nullable(),
    subjectId: p.string().length(64).nullable(),
    details: p.json<Record<string, unknown>>(),
    requestId: p.string().length(64).nullable(),
    prevHash: p.string().length(64),
    hash: p.string().length(64).unique(),
  },
});

/** One append-only, hash-chained entry of the audit log. Never updated or deleted. */
export class AuditEvent extends AuditEventSchema.class {}
AuditEventSchema.setClass(AuditEvent);
