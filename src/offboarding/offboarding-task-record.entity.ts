import { defineEntity, p } from '@mikro-orm/core';
import { purgeableAppendOnlyTrigger } from '../database/append-only.trigger';
import { PersonSchema } from '../people/person.entity';

export const OFFBOARDING_NOTE_MAX_LENGTH = 1000;

export const OffboardingTaskRecordSchema = defineEntity({
  name: 'OffboardingTaskRecord',
  tableName: 'offboarding_task_record',
  // ISO/IEC 27001:2022 A.5.11: the record that assets came back is evidence. The database refuses
  // edits; only a retention purge deletes it.
  triggers: [purgeableAppendOnlyTrigger('offboarding_task_record_append_only')],
  properties: {
    id: p.uuid().primary(),
    /** The leaver. */
    person: () => p.manyToOne(PersonSchema).index(),
    requirementId: p.string().length(100),
    /** The task (requirement-rule.ts TASK_SUBJECTS). */
    subject: p.string().length(100),
    /** Person id of whoever marked it done, and in which capacity. */
    doneBy: p.uuid(),
    doneAs: p.string().length(16),
    note: p.string().length(OFFBOARDING_NOTE_MAX_LENGTH).nullable(),
    completedAt: p.datetime(),
  },
});

/** HR or a manager marked one offboarding task done for a leaver. Append-only. */
export class OffboardingTaskRecord extends OffboardingTaskRecordSchema.class {}
OffboardingTaskRecordSchema.setClass(OffboardingTaskRecord);
