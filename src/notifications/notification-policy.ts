/** Days of the week as the rules file spells them, Monday first (ISO 8601). */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * Who is told what, and when: the `notifications:` section of policies/requirements.yml,
 * validated and frozen. Every number has a shipped default (NOTIFICATION_DEFAULTS).
 */
export interface NotificationPolicy {
  /** One notice when a person gets new work. */
  readonly assigned: boolean;
  readonly reminders: {
    /** Reminders this many days before the due date, e.g. [3]. */
    readonly daysBeforeDue: readonly number[];
    readonly onDueDay: boolean;
    /** Once overdue, a reminder every this many days. */
    readonly everyDaysOverdue: number;
    /** Reminders per assignment and cycle, the assigned notice not counted. */
    readonly atMost: number;
  };
  readonly escalation: {
    /** Days overdue after which the person's manager is told; undefined: never. */
    readonly managerAfterDaysOverdue: number | undefined;
    /** Days overdue after which HR is told; undefined: never. */
    readonly hrAfterDaysOverdue: number | undefined;
    /** HR's shared mailbox; undefined: every active person with the HR role. */
    readonly hrAddress: string | undefined;
  };
  readonly workingHours: {
    readonly days: readonly Weekday[];
    /** Minutes after local midnight: mail goes out from `from` until before `to`. */
    readonly from: number;
    readonly to: number;
    /** For people whose country Attest does not know, and for the HR mailbox. */
    readonly defaultTimeZone: string;
  };
  readonly digests: {
    /** The weekly HR digest's day; undefined: no HR digest. */
    readonly hrWeeklyOn: Weekday | undefined;
    /** A background check open longer than this is listed as stuck in the HR digest. */
    readonly backgroundCheckStuckDays: number;
    /** The optional weekly digest to each manager with reports; undefined: none. */
    readonly managerWeeklyOn: Weekday | undefined;
  };
}

export const NOTIFICATION_DEFAULTS: NotificationPolicy = Object.freeze({
  assigned: true,
  reminders: Object.freeze({
    daysBeforeDue: Object.freeze([3]),
    onDueDay: true,
    everyDaysOverdue: 3,
    atMost: 6,
  }),
  escalation: Object.freeze({
    managerAfterDaysOverdue: 7,
    hrAfterDaysOverdue: 14,
    hrAddress: undefined,
  }),
  workingHours: Object.freeze({
    days: Object.freeze(['mon', 'tue', 'wed', 'thu', 'fri'] as Weekday[]),
    from: 9 * 60,
    to: 17 * 60,
    defaultTimeZone: 'UTC',
  }),
  digests: Object.freeze({
    hrWeeklyOn: 'mon' as Weekday,
    backgroundCheckStuckDays: 14,
    managerWeeklyOn: undefined,
  }),
});

/** Injection token for the {@link NotificationPolicy} in force. */
export const NOTIFICATION_POLICY = Symbol('NOTIFICATION_POLICY');
