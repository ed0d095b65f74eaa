import { defineEntity, p } from '@mikro-orm/core';
import { RETENTION_PURGE_SETTING } from '../database/append-only.trigger';

/** The actions of retention itself (purges, legal holds): never purged. */
export const RETENTION_ACTION_PREFIX = 'retention.';

/**
 * Refuses every UPDATE and DELETE but a retention purge's payload clearing: within a purge, an
 * event about a person, not yet purged and not retention's own, gets `{}` details, no address
 * or browser and a purge time, with every other column, its hash and its link unchanged.
 */
const AUDIT_EVENT_GUARD = `if tg_op = 'UPDATE' and current_setting('${RETENTION_PURGE_SETTING}', true) = 'on' and old.purged_at is null and new.purged_at is not null and old.subject_type = 'person' and old.action not like '${RETENTION_ACTION_PREFIX}%' and new.details = '{}'::jsonb and new.ip is null and new.user_agent is null and (new.seq, new.occurred_at, new.actor_id, new.action, new.subject_type, new.subject_id, new.request_id, new.prev_hash, new.hash) is not distinct from (old.seq, old.occurred_at, old.actor_id, old.action, old.subject_type, old.subject_id, old.request_id, old.prev_hash, old.hash) then return new; end if; raise exception 'table % is append-only: % is not allowed', tg_table_name, tg_op using errcode = 'restrict_violation';`;

export const AuditEventSchema = defineEntity({
  name: 'AuditEvent',
  tableName: 'audit_event',
  // Append-only: the database itself refuses UPDATE and DELETE, so neither a bug nor a stray
  // script can rewrite history. TRUNCATE is refused by a statement trigger written by hand in
  // the initial migration, because the schema introspection does not see TRUNCATE triggers.
  // The one exception is a retention purge (src/retention/): inside it, an event about a person
  // may have its payload (details, client address, browser) cleared once, and nothing else; the
  // purge's own audit event vouches for what stays (see audit-chain.verifier.ts).
  triggers: [
    {
      name: 'audit_event_append_only',
      timing: 'before',
      events: ['update', 'delete'],
      forEach: 'row',
      body: AUDIT_EVENT_GUARD,
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
    /**
     * Set when a retention purge cleared the payload (details, ip, user agent). The hash then
     * cannot be recomputed; the link still is checked, and the purge event vouches for the rest.
     */
    purgedAt: p.datetime().nullable(),
  },
});

/** One append-only, hash-chained entry of the audit log. Never deleted; see the trigger above. */
export class AuditEvent extends AuditEventSchema.class {}
AuditEventSchema.setClass(AuditEvent);
