/** What a message is for; also the first part of its idempotency key. */
export enum NotificationKind {
  /** A person's own new work and reminders, bundled: at most one a day. */
  Tasks = 'tasks',
  /** HR's "send a reminder now" from the person page. */
  ManualReminder = 'manual_reminder',
  /** To a manager: their reports' overdue work. */
  ManagerEscalation = 'manager_escalation',
  /** To HR: overdue work past the manager's turn. */
  HrEscalation = 'hr_escalation',
  HrDigest = 'hr_digest',
  ManagerDigest = 'manager_digest',
}

/**
 * Which line of follow-up an assignment's step belongs to. Each (person, requirement, cycle,
 * track, step) is recorded once, so a step is never sent twice.
 */
export enum NotificationTrack {
  Notice = 'notice',
  Reminder = 'reminder',
  Manager = 'manager',
  Hr = 'hr',
  Manual = 'manual',
}

export enum NotificationStatus {
  Queued = 'queued',
  /** Claimed by a worker, which is talking to the mail server. */
  Sending = 'sending',
  Sent = 'sent',
  /** The mail server refused it for good (5xx), or retries ran out; the reason is kept. */
  Failed = 'failed',
  /** Not sent, on purpose: the reason is kept (all done before delivery, the person left). */
  Suppressed = 'suppressed',
}

/** Digests are optional, so only they carry List-Unsubscribe (RFC 2369). */
export const OPTIONAL_KINDS: ReadonlySet<NotificationKind> = new Set([
  NotificationKind.HrDigest,
  NotificationKind.ManagerDigest,
]);
