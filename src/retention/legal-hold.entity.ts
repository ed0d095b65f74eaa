import { defineEntity, p } from '@mikro-orm/core';
import { PersonSchema } from '../people/person.entity';

export const LEGAL_HOLD_REASON_MAX_LENGTH = 1000;

export const LegalHoldSchema = defineEntity({
  name: 'LegalHold',
  tableName: 'legal_hold',
  uniques: [
    // At most one hold in force per person; lifted ones stay as history.
    {
      name: 'legal_hold_active_person_unique',
      expression:
        'create unique index "legal_hold_active_person_unique" on "legal_hold" ("person_id") where "lifted_at" is null',
    },
  ],
  checks: [
    // A hold stops every purge: an auditor must be able to read why, and why it ended.
    { name: 'legal_hold_reason_check', expression: 'length(btrim(reason)) > 0' },
    {
      name: 'legal_hold_lift_reason_check',
      expression: 'lifted_at is null or length(btrim(lift_reason)) > 0',
    },
  ],
  properties: {
    id: p.uuid().primary(),
    person: () => p.manyToOne(PersonSchema).index(),
    reason: p.string().length(LEGAL_HOLD_REASON_MAX_LENGTH),
    /** A person id. */
    placedBy: p.uuid(),
    placedAt: p.datetime(),
    liftedAt: p.datetime().nullable(),
    liftedBy: p.uuid().nullable(),
    liftReason: p.string().length(LEGAL_HOLD_REASON_MAX_LENGTH).nullable(),
  },
});

/**
 * A legal hold on a person: while it is in force (not lifted), no retention purge touches any
 * of their records. Placed and lifted by HR or an admin, each time with a reason, audited.
 */
export class LegalHold extends LegalHoldSchema.class {}
LegalHoldSchema.setClass(LegalHold);
