/** Every permission in Attest, named `resource.action`. Routes declare one; roles grant them. */
export enum Permission {
  AuditRead = 'audit.read',
}
