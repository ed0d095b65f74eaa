/** Roles come from IdP groups at every sign-in (ROLE_MAP). Everyone is at least an employee. */
export enum Role {
  Employee = 'employee',
  Hr = 'hr',
  Auditor = 'auditor',
  Admin = 'admin',
}

export const ALL_ROLES: readonly Role[] = Object.values(Role);

export function isRole(value: string): value is Role {
  return (ALL_ROLES as readonly string[]).includes(value);
}
