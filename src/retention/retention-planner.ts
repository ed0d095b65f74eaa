import {
  describeRule,
  type RetentionDuration,
  RETENTION_KINDS,
  type RetentionAnchor,
  type RetentionKind,
  type RetentionPolicy,
  type RetentionRule,
} from './retention-policy';

/** Whose records a scope covers: people of these countries, or of none of them (or unknown). */
export type CountryScope =
  { readonly only: readonly string[] } | { readonly except: readonly string[] };

/** One rule of the policy as applied at one moment: what to purge is older than `cutoff`. */
export interface PlannedRule {
  readonly kind: RetentionKind;
  readonly after: RetentionAnchor;
  readonly countries: CountryScope;
  /** Records whose anchor is at or before this instant have run out; null: kept for ever. */
  readonly cutoff: Date | null;
  /** As the plan and the audit events say it: `5 years after completion, US`. */
  readonly label: string;
}

/** `now` minus the duration, in UTC calendar terms (a year back from 29 Feb is 1 Mar). */
export function cutoffOf(now: Date, keep: RetentionDuration): Date {
  const at = new Date(now.getTime());
  switch (keep.unit) {
    case 'years':
      at.setUTCFullYear(at.getUTCFullYear() - keep.amount);
      break;
    case 'months':
      at.setUTCMonth(at.getUTCMonth() - keep.amount);
      break;
    case 'days':
      at.setUTCDate(at.getUTCDate() - keep.amount);
      break;
  }
  return at;
}

/** The cutoff as a calendar day, for anchors that are days (end dates): `2019-12-07`. */
export function cutoffDay(cutoff: Date): string {
  return cutoff.toISOString().slice(0, 10);
}

/**
 * The rules in force at `now`, kind by kind in purge order: each country exception, then the
 * main rule for everyone else. Every person falls under exactly one rule of a kind.
 */
export function planRules(policy: RetentionPolicy, now: Date): PlannedRule[] {
  return RETENTION_KINDS.flatMap((kind) => {
    const { rule, exceptions } = policy[kind];
    const planned = (r: RetentionRule, countries: CountryScope, scope?: string): PlannedRule => ({
      kind,
      after: r.after,
      countries,
      cutoff: r.keep ? cutoffOf(now, r.keep) : null,
      label: describeRule(r, scope),
    });
    const named = exceptions.flatMap((e) => e.countries);
    return [
      ...exceptions.map((e) => planned(e.rule, { only: e.countries }, e.key)),
      planned(rule, { except: named }, exceptions.length > 0 ? 'other countries' : undefined),
    ];
  });
}
