import { defineEntity, p } from '@mikro-orm/core';
import { PersonSchema } from '../people/person.entity';

export const OnboardingSummarySchema = defineEntity({
  name: 'OnboardingSummary',
  tableName: 'onboarding_summary',
  properties: {
    person: () => p.oneToOne(PersonSchema).primary().owner(),
    /** Onboarding (cycle 0) assignments. */
    total: p.integer(),
    /** Of those, done or waived. */
    done: p.integer(),
    /** Due dates of the open ones, so "overdue today" is counted without the assignments. */
    openDueDates: p.array<string>().$type<string[]>().columnType('date[]'),
  },
});

/**
 * One row per person, rewritten with their assignments at every derivation, so the HR
 * overview aggregates 100k rows instead of a million. Derived data: never a source of truth.
 */
export class OnboardingSummary extends OnboardingSummarySchema.class {}
OnboardingSummarySchema.setClass(OnboardingSummary);
