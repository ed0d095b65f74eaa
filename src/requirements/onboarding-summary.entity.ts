import { defineEntity, p } from '@mikro-orm/core';
import { ONBOARDING_SUMMARY_ROLLUP_TRIGGERS } from '../onboarding/onboarding-rollup.triggers';
import { PersonSchema } from '../people/person.entity';

export const OnboardingSummarySchema = defineEntity({
  name: 'OnboardingSummary',
  tableName: 'onboarding_summary',
  // Keep the HR overview's per-group rollups in step (src/onboarding/onboarding-rollup.*).
  triggers: ONBOARDING_SUMMARY_ROLLUP_TRIGGERS,
  properties: {
    person: () => p.oneToOne(PersonSchema).primary().owner(),
    // Copied from the person at each derivation (which every change to a person triggers), so
    // the overview groups and filters without joining 100k people.
    // Indexed so the filters' choices are read by a skip scan of each index.
    department: p.string().length(200).nullable().index(),
    country: p.string().length(2).nullable().index(),
    /** YYYY-MM of the start date. */
    startMonth: p.string().length(7).nullable().index(),
    terminated: p.boolean().default(false),
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
