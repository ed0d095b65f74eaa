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
}
