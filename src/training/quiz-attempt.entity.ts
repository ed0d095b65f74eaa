import { defineEntity, p } from '@mikro-orm/core';
import { DocumentVersionSchema } from '../documents/document-version.entity';
import { PersonSchema } from '../people/person.entity';
import { purgeableAppendOnlyTrigger } from '../database/append-only.trigger';

export const QuizAttemptSchema = defineEntity({
  name: 'QuizAttempt',
  tableName: 'quiz_attempt',
  triggers: [purgeableAppendOnlyTrigger('quiz_attempt_append_only')],
  uniques: [
    { name: 'quiz_attempt_person_submission_unique', properties: ['person', 'submissionId'] },
  ],
  properties: {
    id: p.uuid().primary(),
    person: () => p.manyToOne(PersonSchema).index(),
    documentVersion: () => p.manyToOne(DocumentVersionSchema),
    /** Question id → the chosen option index. */
    answers: p.json<Record<string, number>>(),
    correct: p.integer(),
    total: p.integer(),
    /** Percent, rounded down. */
    score: p.integer(),
    passMark: p.integer(),
    passed: p.boolean(),
    attemptedAt: p.datetime(),
    submissionId: p.uuid(),
    sessionId: p.uuid(),
  },
});

/** One submitted quiz, passed or not. Append-only. */
export class QuizAttempt extends QuizAttemptSchema.class {}
QuizAttemptSchema.setClass(QuizAttempt);
