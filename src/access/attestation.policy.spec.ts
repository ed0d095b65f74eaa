import { randomUUID } from 'node:crypto';
import { attestationAccess } from './attestation.policy';
import type { Principal } from './principal';
import { Role } from './role';
import { permissionsFor } from './role-permissions';

function aPrincipal(roles: Role[], totpVerified = roles.includes(Role.Admin)): Principal {
  return {
    personId: randomUUID(),
    sessionId: randomUUID(),
    roles,
    permissions: permissionsFor(roles, totpVerified),
    totpVerified,
    csrfToken: 't',
  };
}

describe(attestationAccess.name, () => {
  const someoneElses = { personId: randomUUID() };

  it('gives the signer their own attestation', () => {
    const employee = aPrincipal([Role.Employee]);
    expect(attestationAccess(employee, { personId: employee.personId })).toBe('own');
  });

  it.each<[string, Role[]]>([
    ['HR', [Role.Employee, Role.Hr]],
    ['an auditor', [Role.Employee, Role.Auditor]],
    ['an admin who verified TOTP', [Role.Employee, Role.Admin]],
  ])('gives %s anyone’s attestation', (_who, roles) => {
    expect(attestationAccess(aPrincipal(roles), someoneElses)).toBe('any');
  });

  it.each<[string, Role[], boolean]>([
    ['an employee (or manager)', [Role.Employee], false],
    ['an admin who has not verified TOTP', [Role.Employee, Role.Admin], false],
    ['a principal with no roles', [], false],
  ])('gives %s nothing of someone else’s', (_who, roles, totp) => {
    expect(attestationAccess(aPrincipal(roles, totp), someoneElses)).toBe('none');
  });
});
