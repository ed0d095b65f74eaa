import { defineEntity, p } from '@mikro-orm/core';

/** The single row of audit_chain_head. */
export const AUDIT_CHAIN_HEAD_ID = 1;

export const AuditChainHeadSchema = defineEntity({
  name: 'AuditChainHead',
  tableName: 'audit_chain_head',
  // The head only moves forward: it is what proves that no event was deleted from the end of
  // the log (a hash chain alone cannot show a missing last link).
  triggers: [
    {
      name: 'audit_chain_head_forward_only',
      timing: 'before',
      events: ['update', 'delete'],
      forEach: 'row',
      body: `if tg_op = 'DELETE' or new.seq <= old.seq then raise exception 'table % only moves forward: % is not allowed', tg_table_name, tg_op using errcode = 'restrict_violation'; end if; return new;`,
    },
  ],
  properties: {
    id: p.smallint().primary().autoincrement(false),
    /** The seq and hash of the newest event, written in the same transaction as that event. */
    seq: p.bigint('string'),
    hash: p.string().length(64),
  },
});

/**
 * Where the audit chain ends. Each append links to this hash and moves it forward, so deleting
 * the newest events leaves the head pointing at an event that no longer exists.
 */
export class AuditChainHead extends AuditChainHeadSchema.class {}
AuditChainHeadSchema.setClass(AuditChainHead);
