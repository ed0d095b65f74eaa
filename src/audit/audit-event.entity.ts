import { defineEntity, p } from '@mikro-orm/core';

export const AuditEventSchema = defineEntity({
  name: 'AuditEvent',
  tableName: 'audit_event',
  // Append-only: the database itself refuses UPDATE and DELETE, so neither a bug nor a stray
  // script can rewrite history. TRUNCATE is refused by a statement trigger written by hand in
  // the initial migration, because the schema introspection does not see TRUNCATE triggers.
  triggers: [
    {
      name: 'audit_event_append_only',
      timing: 'before',
      events: ['update', 'delete'],
      forEach: 'row',
      body: `raise exception 'table % is append-only: % is not allowed', tg_table_name, tg_op using errcode = 'restrict_violation';`,
    },
  ],
  // The audit page filters by actor or by subject, newest first: these serve its keyset pages.
  indexes: [
    { name: 'audit_event_actor_seq_index', properties: ['actorId', 'seq'] },
    { name: 'audit_event_subject_seq_index', properties: ['subjectType', 'subjectId', 'seq'] },
  ],
  properties: {
    seq: p.bigint('string').primary().autoincrement(),
    occurredAt: p.datetime().index(),
    actorId: p.string().length(64).nullable(),
    action: p.string().length(100).index(),
    subjectType: p.string().length(64).nullable(),
    subjectId: p.string().length(64).nullable(),
    details: p.json<Record<string, unknown>>(),
    requestId: p.string().length(64).nullable(),
    /** Where the request came from; null for the CLI, jobs, and events written before it existed. */
    ip: p.string().length(64).nullable(),
    userAgent: p.string().length(512).nullable(),
    prevHash: p.string().length(64),
    hash: p.string().length(64).unique(),
  },
});

/** One append-only, hash-chained entry of the audit log. Never updated or deleted. */
export class AuditEvent extends AuditEventSchema.class {}
AuditEventSchema.setClass(AuditEvent);
