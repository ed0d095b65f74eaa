import { defineEntity, p } from '@mikro-orm/core';

/*
 * Derived tables the HR overview reads instead of scanning every person (see
 * onboarding-rollup.triggers.ts, which keeps them): never a source of truth, never written by
 * the application but for compaction. Each row is a signed delta: a group's figure is the sum
 * of its rows, and the compactor folds them to one row per group now and then. A group key
 * holds '' where the person's field is empty.
 */

/** Onboarding (cycle 0) totals per department, country and start month, leavers excluded. */
export const OnboardingRollupSchema = defineEntity({
  name: 'OnboardingRollup',
  tableName: 'onboarding_rollup',
  indexes: [{ properties: ['department', 'country', 'startMonth'] }],
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    department: p.string().length(200),
    country: p.string().length(2),
    startMonth: p.string().length(7),
    people: p.integer(),
    total: p.integer(),
    done: p.integer(),
    /** Open assignments (not done nor waived). */
    open: p.integer(),
    /** People with at least one open assignment. */
    onboarding: p.integer(),
  },
});

/**
 * Open assignments per group and due date, and how many people's first open assignment falls
 * due that day: "overdue today" is the open total less what falls due today or later.
 */
export const OnboardingRollupDueSchema = defineEntity({
  name: 'OnboardingRollupDue',
  tableName: 'onboarding_rollup_due',
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    department: p.string().length(200),
    country: p.string().length(2),
    startMonth: p.string().length(7),
    dueDate: p.date().index(),
    openCount: p.integer(),
    firstCount: p.integer(),
  },
});

/** Completions recorded per ISO week (Monday, UTC), for the overview's chart. */
export const CompletionWeekSchema = defineEntity({
  name: 'CompletionWeek',
  tableName: 'completion_week',
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    week: p.date().index(),
    count: p.integer(),
  },
});

export class OnboardingRollup extends OnboardingRollupSchema.class {}
OnboardingRollupSchema.setClass(OnboardingRollup);
export class OnboardingRollupDue extends OnboardingRollupDueSchema.class {}
OnboardingRollupDueSchema.setClass(OnboardingRollupDue);
export class CompletionWeek extends CompletionWeekSchema.class {}
CompletionWeekSchema.setClass(CompletionWeek);

/** To be listed in src/database/entities.ts. */
export const ONBOARDING_ENTITIES = [
  OnboardingRollupSchema,
  OnboardingRollupDueSchema,
  CompletionWeekSchema,
];
