import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NAVIGATION, navigationFor } from './navigation';
import type { Principal } from './principal';
import { Role } from './role';
import { permissionsFor } from './role-permissions';

const ROUTE_SNAPSHOT = join(
  __dirname,
  '../../test/e2e/__snapshots__/route-permissions.e2e-spec.ts.snap',
);

function principal(roles: Role[], totpVerified = false): Principal {
  return {
    personId: 'p',
    sessionId: 's',
    roles,
    permissions: permissionsFor(roles, totpVerified),
    totpVerified,
    csrfToken: 'token',
  };
}

const labels = (roles: Role[], totpVerified = false) => {
  const view = navigationFor(principal(roles, totpVerified));
  return [...view.yours, ...view.areas].map((link) => link.label);
};

describe(navigationFor.name, () => {
  it('offers an anonymous visitor nothing but signing in', () => {
    expect(navigationFor(undefined)).toEqual({
      signedIn: false,
      yours: [],
      areas: [],
      breadcrumbs: [],
    });
  });

  it.each<[string, Role[], boolean, string[]]>([
    ['an employee', [Role.Employee], false, []],
    [
      'HR',
      [Role.Employee, Role.Hr],
      false,
      ['People', 'Onboarding', 'Background checks', 'Signatures', 'Notifications', 'Auditors'],
    ],
    [
      'an auditor',
      [Role.Employee, Role.Auditor],
      false,
      [
        'People',
        'Onboarding',
        'Background checks',
        'Signatures',
        'Auditors',
        'Exports',
        'Audit log',
      ],
    ],
    ['an admin before the second step', [Role.Employee, Role.Admin], false, ['Admin']],
  ])('shows %s their own work and the areas their roles open', (_who, roles, totp, areas) => {
    expect(labels(roles, totp)).toEqual([
      'My tasks',
      'My documents',
      'My training',
      'My history',
      ...areas,
    ]);
  });

  it('takes an admin who has not verified their authenticator to verify it', () => {
    const before = navigationFor(principal([Role.Admin], false));
    expect(before.areas).toEqual([{ label: 'Admin', href: '/auth/totp' }]);
    const after = navigationFor(principal([Role.Admin], true));
    expect(after.areas.find((link) => link.label === 'Admin')?.href).toBe('/admin');
    expect(after.areas.map((link) => link.href)).not.toContain('/auth/totp');
  });

  it('links only to pages whose route declares the very permission the link is shown for', () => {
    // The reviewed route list: a link whose page declared another permission could answer 403.
    const routes = readFileSync(ROUTE_SNAPSHOT, 'utf8');
    for (const area of NAVIGATION) {
      expect(routes).toContain(`"GET ${area.href} permission:${area.permission}"`);
    }
  });

  it('marks the area holding the page as current, the deepest one', () => {
    const view = navigationFor(principal([Role.Employee]), '/me/history');
    const current = [...view.yours, ...view.areas].filter((link) => link.current);
    expect(current.map((link) => link.label)).toEqual(['My history']);
    expect(view.breadcrumbs).toEqual([]);
  });

  it('gives a page below an area breadcrumbs back to the person’s tasks and the area', () => {
    const view = navigationFor(principal([Role.Employee, Role.Hr]), '/people/3f2c');
    expect(view.breadcrumbs).toEqual([
      { label: 'My tasks', href: '/me' },
      { label: 'People', href: '/people' },
    ]);
    expect(navigationFor(principal([Role.Employee]), '/documents/nda').breadcrumbs).toEqual([
      { label: 'My tasks', href: '/me' },
      { label: 'My documents', href: '/documents' },
    ]);
  });

  it('gives no breadcrumbs on an area’s own page or to an area the person may not open', () => {
    expect(navigationFor(principal([Role.Employee, Role.Hr]), '/people').breadcrumbs).toEqual([]);
    // /peoplex is not below /people.
    expect(navigationFor(principal([Role.Employee, Role.Hr]), '/peoplex').breadcrumbs).toEqual([]);
    expect(navigationFor(principal([Role.Employee]), '/people/3f2c').breadcrumbs).toEqual([]);
  });
});
