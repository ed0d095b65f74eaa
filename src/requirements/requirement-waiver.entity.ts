import { defineEntity, p } from '@mikro-orm/core';
import { appendOnlyTrigger } from '../database/append-only.trigger';
import { PersonSchema } from '../people/person.entity';

export const WAIVER_REASON_MAX_LENGTH = 1000;

export const RequirementWaiverSchema = defineEntity({
  name: 'RequirementWaiver',
  tableName: 'requirement_waiver',
  triggers: [appendOnlyTrigger('requirement_waiver_append_only')],
  // An auditor reads every waiver: one without a reason is not evidence of anything.
  checks: [{ name: 'requirement_waiver_reason_check', expression: 'length(btrim(reason)) > 0' }],
  properties: {
    id: p.uuid().primary(),
    person: () => p.manyToOne(PersonSchema).index(),
    requirementId: p.string().length(100),
    cycle: p.integer(),
    waivedAt: p.datetime(),
    waivedBy: () => p.manyToOne(PersonSchema),
    reason: p.string().length(WAIVER_REASON_MAX_LENGTH),
  },
});

/** A decision that a person need not meet one cycle of a requirement, and why. Append-only. */
export class RequirementWaiver extends RequirementWaiverSchema.class {}
RequirementWaiverSchema.setClass(RequirementWaiver);
