/** Every permission in Attest, named `resource.action`. Routes declare one; roles grant them. */
export enum Permission {
  /** See one's own home page, tasks and sessions. */
  SelfRead = 'self.read',
  /** Enrol and verify one's own TOTP authenticator (admins). */
  TotpManage = 'totp.manage',
  /** The admin console. */
  AdminRead = 'admin.read',
  /** List anyone's sessions. */
  SessionRead = 'session.read',
  /** End anyone's sessions. */
  SessionRevoke = 'session.revoke',
  /** Read the audit log. */
  AuditRead = 'audit.read',
  /** See people and their HR fields. */
  PersonRead = 'person.read',
  /** Edit a person's HR fields. */
  PersonWrite = 'person.write',
  /** Import people from a CSV file. */
  PersonImport = 'person.import',
  /** See requirement statuses, onboarding dashboards and overdue lists. */
  RequirementRead = 'requirement.read',
  /** Waive a requirement for a person (with a reason). */
  RequirementWaive = 'requirement.waive',
  /** See background checks in full, including adjudication notes and report references. */
  BackgroundCheckRead = 'backgroundCheck.read',
  /** Create and update background checks. */
  BackgroundCheckWrite = 'backgroundCheck.write',
  /** See who signed which version of each document and who is pending. */
  SignatureRead = 'signature.read',
  /** See background check type, status, jurisdiction and dates, never details (auditors). */
  BackgroundCheckStatusRead = 'backgroundCheck.statusRead',
  /** Draw a recorded random sample of a population (auditors' test selections). */
  SampleCreate = 'sample.create',
  /**
   * Create and download evidence exports: a ZIP of every matching sealed PDF with names and
   * emails (auditors and admins; HR reads signatures one at a time instead).
   */
  ExportCreate = 'export.create',
  /** The notification outbox: what was sent to whom, and when. */
  NotificationRead = 'notification.read',
  /** Send a person a reminder now. */
  NotificationSend = 'notification.send',
  /** Place and lift a legal hold on a person, which stops every retention purge of their records. */
  LegalHoldManage = 'legalHold.manage',
  /**
   * Mark a leaver's offboarding task done. Which tasks, for whom: offboarding-task.policy.ts
   * (HR for `done_by: hr`, the leaver's manager for `done_by: manager`, never one's own).
   */
  OffboardingTaskComplete = 'offboarding.taskComplete',
  /** Create and revoke one-time signing links for leavers whose sign-in has ended. */
  SigningLinkManage = 'signingLink.manage',
  /**
   * Read and sign one's own open offboarding documents. No role grants it: only a one-time
   * signing link's session holds it, and nothing else (ONE_TIME_LINK_PERMISSIONS).
   */
  LeaverSign = 'leaver.sign',
}
