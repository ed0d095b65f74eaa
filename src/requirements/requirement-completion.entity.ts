import { defineEntity, p } from '@mikro-orm/core';
import { purgeableAppendOnlyTrigger } from '../database/append-only.trigger';
import { COMPLETION_WEEK_TRIGGER } from '../onboarding/onboarding-rollup.triggers';
import { PersonSchema } from '../people/person.entity';
import { RequirementKind } from './requirement-rule';

export enum CompletionSource {
  Test = 'test',
  Signature = 'signature',
  Training = 'training',
  BackgroundCheck = 'background_check',
  Import = 'import',
  /** HR or a manager marked an offboarding task done (offboarding_task_record). */
  OffboardingTask = 'offboarding_task',
}

export const RequirementCompletionSchema = defineEntity({
  name: 'RequirementCompletion',
  tableName: 'requirement_completion',
  // The week count feeds the HR overview's chart (src/onboarding/onboarding-rollup.*).
  triggers: [
    purgeableAppendOnlyTrigger('requirement_completion_append_only'),
    COMPLETION_WEEK_TRIGGER,
  ],
  properties: {
    id: p.uuid().primary(),
    person: () => p.manyToOne(PersonSchema).index(),
    /** The requirement it was recorded against; kept for the record. */
    requirementId: p.string().length(100),
    /**
     * What was done. Derivation matches on these, not on the requirement id, so a completion
     * still counts after its rule is renamed or the person moves to a rule with the same subject.
     */
    kind: p.enum(() => RequirementKind),
    subject: p.string().length(100),
    /** Documents: the version signed. */
    subjectVersion: p.string().length(64).nullable(),
    completedAt: p.datetime().index(),
    source: p.enum(() => CompletionSource),
    /** Where the evidence is: a signature id, a course attempt, a vendor report number. */
    reference: p.string().length(256).nullable(),
    recordedAt: p.datetime(),
  },
});

/** Something a person did that meets a requirement. Append-only. */
export class RequirementCompletion extends RequirementCompletionSchema.class {}
RequirementCompletionSchema.setClass(RequirementCompletion);
