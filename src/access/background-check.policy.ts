import { Permission } from './permission';
import type { Principal } from './principal';
import { Role } from './role';

/**
 * How much of one background check a principal may see:
 * - `full`: everything, including the adjudication notes and the report reference (HR, admin);
 * - `status`: type, status, jurisdiction, dates and history, never what was found (auditors);
 * - `own`: the type and status of one's own check;
 * - `none`: not even that it exists.
 */
export type BackgroundCheckAccess = 'full' | 'status' | 'own' | 'none';

/** What the policy needs to know about the check. */
export interface BackgroundCheckSubject {
  readonly personId: string;
}

const RANK: Record<BackgroundCheckAccess, number> = { none: 0, own: 1, status: 2, full: 3 };

function accessFor(
  role: Role,
  principal: Principal,
  check: BackgroundCheckSubject,
): BackgroundCheckAccess {
  switch (role) {
    case Role.Admin:
    case Role.Hr:
      // The permission, not the role alone: an admin who has not verified TOTP holds neither.
      return principal.permissions.has(Permission.BackgroundCheckRead) ? 'full' : 'none';
    case Role.Auditor:
      return principal.permissions.has(Permission.BackgroundCheckStatusRead) ? 'status' : 'none';
    case Role.Employee:
      // Managers are employees too: seeing a report's check is not part of managing them.
      return check.personId === principal.personId && principal.permissions.has(Permission.SelfRead)
        ? 'own'
        : 'none';
    default: {
      const unknown: never = role;
      void unknown;
      return 'none';
    }
  }
}

/**
 * The one place that decides who sees what of a background check. Deny by default: a role
 * this switch does not name grants nothing, and the answer is the most any role grants.
 */
export function backgroundCheckAccess(
  principal: Principal,
  check: BackgroundCheckSubject,
): BackgroundCheckAccess {
  let best: BackgroundCheckAccess = 'none';
  for (const role of principal.roles) {
    const access = accessFor(role, principal, check);
    if (RANK[access] > RANK[best]) best = access;
  }
  return best;
}

/** Whether `access` shows at least as much as `needed`. */
export function grants(access: BackgroundCheckAccess, needed: BackgroundCheckAccess): boolean {
  return RANK[access] >= RANK[needed];
}

/**
 * Whether the principal may waive this check (record it as waived, with a reason). A waived
 * check meets the screening requirement, so it takes the permission to waive requirements as
 * well as full access; and nobody waives their own (ISO/IEC 27001:2022 A.5.3).
 */
export function mayWaiveBackgroundCheck(
  principal: Principal,
  check: BackgroundCheckSubject,
): boolean {
  return (
    backgroundCheckAccess(principal, check) === 'full' &&
    principal.permissions.has(Permission.RequirementWaive) &&
    check.personId !== principal.personId
  );
}
