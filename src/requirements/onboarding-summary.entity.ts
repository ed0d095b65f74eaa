import { defineEntity, p } from '@mikro-orm/core';
import { PersonSchema } from '../people/person.entity';

export const OnboardingSummarySchema = defineEntity({
  name: 'OnboardingSummary',
  tableName: 'onboarding_summary',
  properties: {
    person: () => p.oneToOne(PersonSchema).primary().owner(),
    // Copied from the person at each derivation (which every change to a person triggers), so
    // the overview groups and filters without joining 100k people.
    department: p.string().length(200).nullable(),
    country: p.string().length(2).nullable(),
    /** YYYY-MM of the start date. */
    startMonth: p.string().length(7).nullable(),
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
