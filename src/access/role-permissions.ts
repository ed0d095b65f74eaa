import { Permission } from './permission';
import { Role } from './role';

/**
 * The one table of who may do what. Anything not listed is denied. A diff here is a permission
 * change: review it as one.
 */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  // Employees mark tasks only as a leaver's manager (offboarding-task.policy.ts).
  [Role.Employee]: [Permission.SelfRead, Permission.OffboardingTaskComplete],
  [Role.Hr]: [
    Permission.SelfRead,
    Permission.PersonRead,
    Permission.PersonWrite,
    Permission.PersonImport,
    Permission.RequirementRead,
    Permission.RequirementWaive,
    Permission.SignatureRead,
    Permission.BackgroundCheckRead,
    Permission.BackgroundCheckWrite,
    Permission.BackgroundCheckStatusRead,
    Permission.SampleCreate,
    Permission.NotificationRead,
    Permission.NotificationSend,
    Permission.LegalHoldManage,
    Permission.OffboardingTaskComplete,
    Permission.SigningLinkManage,
  ],
  [Role.Auditor]: [
    Permission.SelfRead,
    Permission.AuditRead,
    Permission.PersonRead,
    Permission.RequirementRead,
    Permission.SignatureRead,
    Permission.BackgroundCheckStatusRead,
    Permission.SampleCreate,
    Permission.ExportCreate,
  ],
  [Role.Admin]: [
    Permission.SelfRead,
    Permission.TotpManage,
    Permission.AdminRead,
    Permission.SessionRead,
    Permission.SessionRevoke,
    Permission.AuditRead,
    Permission.PersonRead,
    Permission.PersonWrite,
    Permission.PersonImport,
    Permission.RequirementRead,
    Permission.RequirementWaive,
    Permission.SignatureRead,
    Permission.BackgroundCheckRead,
    Permission.BackgroundCheckWrite,
    Permission.BackgroundCheckStatusRead,
    Permission.SampleCreate,
    Permission.ExportCreate,
    Permission.NotificationRead,
    Permission.NotificationSend,
    Permission.LegalHoldManage,
    Permission.OffboardingTaskComplete,
    Permission.SigningLinkManage,
  ],
};

/**
 * All a one-time signing link's session may do: read and sign the leaver's own open
 * offboarding documents. No role, so nothing else (src/offboarding/signing-links.service.ts).
 */
export const ONE_TIME_LINK_PERMISSIONS: readonly Permission[] = [Permission.LeaverSign];

/** What the admin role grants before TOTP is verified in the session: enough to verify it. */
export const ADMIN_BEFORE_STEP_UP: readonly Permission[] = [
  Permission.SelfRead,
  Permission.TotpManage,
];

/**
 * What a set of roles may do in a session. The admin role's permissions work only after TOTP
 * has been verified in that session; until then it grants just enough to enrol or verify.
 */
export function permissionsFor(roles: readonly Role[], totpVerified: boolean): Set<Permission> {
  const granted = new Set<Permission>();
  for (const role of roles) {
    const perms =
      role === Role.Admin && !totpVerified ? ADMIN_BEFORE_STEP_UP : ROLE_PERMISSIONS[role];
    perms.forEach((p) => granted.add(p));
  }
  return granted;
}
