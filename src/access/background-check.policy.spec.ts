import { randomUUID } from 'node:crypto';
import {
  type BackgroundCheckAccess,
  backgroundCheckAccess,
  grants,
  mayWaiveBackgroundCheck,
} from './background-check.policy';
import type { Principal } from './principal';
import { Role } from './role';
import { permissionsFor } from './role-permissions';

function aPrincipal(roles: Role[], options: { totpVerified?: boolean } = {}): Principal {
  const totpVerified = options.totpVerified ?? roles.includes(Role.Admin);
  return {
    personId: randomUUID(),
    sessionId: randomUUID(),
    roles,
    permissions: permissionsFor(roles, totpVerified),
    totpVerified,
    csrfToken: 't',
  };
}

describe(backgroundCheckAccess.name, () => {
  const someoneElses = { personId: randomUUID() };

  it.each<[string, BackgroundCheckAccess, Role[]]>([
    ['HR', 'full', [Role.Employee, Role.Hr]],
    ['an admin who verified TOTP', 'full', [Role.Employee, Role.Admin]],
    ['an auditor', 'status', [Role.Employee, Role.Auditor]],
    ['an auditor who is also HR', 'full', [Role.Employee, Role.Auditor, Role.Hr]],
    ['an employee (or manager)', 'none', [Role.Employee]],
    ['a principal with no roles', 'none', []],
  ])('gives %s %s access to someone else’s check', (_who, expected, roles) => {
    expect(backgroundCheckAccess(aPrincipal(roles), someoneElses)).toBe(expected);
  });

  it('gives an admin who has not verified TOTP nothing', () => {
    const admin = aPrincipal([Role.Employee, Role.Admin], { totpVerified: false });
    expect(backgroundCheckAccess(admin, someoneElses)).toBe('none');
  });

  it('shows an employee the type and status of their own check', () => {
    const employee = aPrincipal([Role.Employee]);
    expect(backgroundCheckAccess(employee, { personId: employee.personId })).toBe('own');
  });

  it('gives an auditor status access to their own check, not more', () => {
    const auditor = aPrincipal([Role.Employee, Role.Auditor]);
    expect(backgroundCheckAccess(auditor, { personId: auditor.personId })).toBe('status');
  });

  it('does not trust a role without the permission the table grants it', () => {
    const forged: Principal = { ...aPrincipal([Role.Hr]), permissions: new Set() };
    expect(backgroundCheckAccess(forged, someoneElses)).toBe('none');
  });

  it('denies a role it does not know', () => {
    const odd = aPrincipal([Role.Employee]);
    const principal = { ...odd, roles: ['manager' as Role] };
    expect(backgroundCheckAccess(principal, { personId: odd.personId })).toBe('none');
  });
});

describe(grants.name, () => {
  it('orders the levels none < own < status < full', () => {
    expect(grants('full', 'status')).toBe(true);
    expect(grants('status', 'full')).toBe(false);
    expect(grants('own', 'own')).toBe(true);
    expect(grants('own', 'status')).toBe(false);
    expect(grants('none', 'own')).toBe(false);
  });
});

describe(mayWaiveBackgroundCheck.name, () => {
  const someoneElses = { personId: randomUUID() };

  it.each<[string, boolean, Role[]]>([
    ['HR', true, [Role.Employee, Role.Hr]],
    ['an admin who verified TOTP', true, [Role.Employee, Role.Admin]],
    ['an auditor', false, [Role.Employee, Role.Auditor]],
    ['an employee', false, [Role.Employee]],
  ])('lets %s waive someone else’s check: %s', (_who, expected, roles) => {
    expect(mayWaiveBackgroundCheck(aPrincipal(roles), someoneElses)).toBe(expected);
  });

  it('never lets HR waive their own check', () => {
    const hr = aPrincipal([Role.Employee, Role.Hr]);
    expect(mayWaiveBackgroundCheck(hr, { personId: hr.personId })).toBe(false);
  });
});
