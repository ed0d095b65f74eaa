/**
 * What policies/retention.yml says: for each kind of record, how long it is kept and after
 * what, with exceptions by country where the law differs.
 */

export enum RetentionKind {
  Sessions = 'sessions',
  NotificationBodies = 'notification_bodies',
  ExportZips = 'export_zips',
  TrainingAttempts = 'training_attempts',
  BackgroundCheckDetails = 'background_check_details',
  BackgroundCheckStatus = 'background_check_status',
  Signatures = 'signatures',
  AuditEvents = 'audit_events',
}

/** The order `plan` lists and `apply` purges in: what others depend on goes last. */
export const RETENTION_KINDS: readonly RetentionKind[] = Object.values(RetentionKind);

/** What the period counts from. */
export enum RetentionAnchor {
  /** The person's end date (HR's `end_date`); never reached while they have none. */
  EndDate = 'end_date',
  /** When the record was made. */
  Creation = 'creation',
  /** When a session ended: signed out, ended by an admin, or its absolute limit. */
  Expiry = 'expiry',
  /** When a background check was decided (its `completed_at`); never while it is pending. */
  Completion = 'completion',
}

/** Anchors each kind can count from, the first being what the shipped file uses. */
export const ANCHORS_OF: Readonly<Record<RetentionKind, readonly RetentionAnchor[]>> = {
  [RetentionKind.Sessions]: [RetentionAnchor.Expiry, RetentionAnchor.Creation],
  [RetentionKind.NotificationBodies]: [RetentionAnchor.Creation],
  [RetentionKind.ExportZips]: [RetentionAnchor.Creation],
  [RetentionKind.TrainingAttempts]: [RetentionAnchor.Creation, RetentionAnchor.EndDate],
  [RetentionKind.BackgroundCheckDetails]: [RetentionAnchor.Completion, RetentionAnchor.EndDate],
  [RetentionKind.BackgroundCheckStatus]: [RetentionAnchor.EndDate, RetentionAnchor.Completion],
  [RetentionKind.Signatures]: [RetentionAnchor.EndDate],
  [RetentionKind.AuditEvents]: [RetentionAnchor.EndDate],
};

/**
 * Kinds whose records belong to one person with a country: these may have exceptions by
 * country. Notification bodies (a digest names several people) and export ZIPs (many people)
 * may not.
 */
export const KINDS_BY_COUNTRY: ReadonlySet<RetentionKind> = new Set([
  RetentionKind.Sessions,
  RetentionKind.TrainingAttempts,
  RetentionKind.BackgroundCheckDetails,
  RetentionKind.BackgroundCheckStatus,
  RetentionKind.Signatures,
  RetentionKind.AuditEvents,
]);

/** The European Economic Area, where the GDPR applies: what the `EEA` country key stands for. */
// prettier-ignore
export const EEA_COUNTRIES: readonly string[] = [
  'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT',
  'LV', 'LT', 'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE', 'IS', 'LI', 'NO',
];

export type DurationUnit = 'days' | 'months' | 'years';

export interface RetentionDuration {
  readonly amount: number;
  readonly unit: DurationUnit;
}

export interface RetentionRule {
  /** Null: kept for ever, never purged. */
  readonly keep: RetentionDuration | null;
  readonly after: RetentionAnchor;
}

/** A kind's rule for everyone, and the exceptions by country (country codes, `EEA` expanded). */
export interface KindRetention {
  readonly rule: RetentionRule;
  /** In the file's order; each names the keys it came from, for the plan's wording. */
  readonly exceptions: readonly CountryRetention[];
}

export interface CountryRetention {
  /** As written: `US`, `EEA`. */
  readonly key: string;
  readonly countries: readonly string[];
  readonly rule: RetentionRule;
}

export type RetentionPolicy = Readonly<Record<RetentionKind, KindRetention>>;

/** Injection token for the policy read at start. */
export const RETENTION_POLICY = Symbol('RETENTION_POLICY');

/** What the plan and the audit events call each kind. */
export const KIND_WORDS: Readonly<Record<RetentionKind, string>> = {
  [RetentionKind.Sessions]: 'Sessions',
  [RetentionKind.NotificationBodies]: 'Notification bodies',
  [RetentionKind.ExportZips]: 'Export ZIPs',
  [RetentionKind.TrainingAttempts]: 'Training attempts',
  [RetentionKind.BackgroundCheckDetails]: 'Background-check details',
  [RetentionKind.BackgroundCheckStatus]: 'Background-check status',
  [RetentionKind.Signatures]: 'Signatures and attestation PDFs',
  [RetentionKind.AuditEvents]: 'Audit event payloads',
};

const ANCHOR_WORDS: Readonly<Record<RetentionAnchor, string>> = {
  [RetentionAnchor.EndDate]: 'end date',
  [RetentionAnchor.Creation]: 'creation',
  [RetentionAnchor.Expiry]: 'expiry',
  [RetentionAnchor.Completion]: 'completion',
};

export function describeDuration({ amount, unit }: RetentionDuration): string {
  return `${amount} ${amount === 1 ? unit.slice(0, -1) : unit}`;
}

/** `7 years after end date, US`; `kept for ever`; `1 year after creation, other countries`. */
export function describeRule(rule: RetentionRule, scope?: string): string {
  const text = rule.keep
    ? `${describeDuration(rule.keep)} after ${ANCHOR_WORDS[rule.after]}`
    : 'kept for ever';
  return scope ? `${text}, ${scope}` : text;
}
