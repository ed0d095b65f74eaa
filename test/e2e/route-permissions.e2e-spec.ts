// A diff in __snapshots__/route-permissions.e2e-spec.ts.snap is a permission change: a route was
// added, removed, opened up (public), given another permission, or exempted from CSRF. Review
// it as one before running `npm test -- -u`.
import { type AppRoute, expressRoutes, listRoutes, routeKey } from '../helpers/app-routes';
import { createTestApp } from '../helpers/test-app';
import { testIdpEnv } from '../helpers/test-idp';

/** `GET /auth/saml/login public`, with ` skip-csrf` where a POST carries its own proof. */
function describeRoute(route: AppRoute): string {
  return `${routeKey(route)} ${route.declaration}${route.skipsCsrf ? ' skip-csrf' : ''}`;
}

async function mountedRoutes(env?: Record<string, string>) {
  const t = await createTestApp(env ? { env } : {});
  try {
    return { routes: listRoutes(t.app), express: expressRoutes(t.app) };
  } finally {
    await t.close();
  }
}

describe('route permissions', () => {
  let withIdp: Awaited<ReturnType<typeof mountedRoutes>>;
  let demoMode: Awaited<ReturnType<typeof mountedRoutes>>;

  beforeAll(async () => {
    // As production runs: an IdP and a mail server (nothing connects to it here).
    withIdp = await mountedRoutes({ ...(await testIdpEnv()), SMTP_URL: 'smtp://127.0.0.1:2525' });
    demoMode = await mountedRoutes();
  });

  it.each([
    ['an IdP configured', () => withIdp],
    ['demo mode', () => demoMode],
  ])('lists exactly the routes Express dispatches, with %s', (_mode, mounted) => {
    const { routes, express } = mounted();
    expect(routes.length).toBeGreaterThan(0);
    expect(routes.map((r) => `${routeKey(r)} ${r.handler}`).sort()).toEqual(express.routes);
    // The only other route layers are middleware on every path (sessions, request ids) and the
    // upload reader of the people import, followed by a route that has its own declaration.
    // /verify reads its upload in an interceptor, after the guards.
    expect([...new Set(express.others.filter((path) => !path.includes('*')))].sort()).toEqual([
      '/people/import',
    ]);
  });

  it('finds no route without @Public() or @RequirePermission()', () => {
    const undeclared = [...withIdp.routes, ...demoMode.routes]
      .filter((r) => r.declaration === 'UNDECLARED')
      .map((r) => `${routeKey(r)} (${r.handler})`);
    expect(undeclared).toEqual([]);
  });

  it('matches the reviewed list of routes and their declarations', () => {
    const idpLines = withIdp.routes.map(describeRoute);
    const demoLines = demoMode.routes.map(describeRoute);
    expect({
      'mounted with an IdP and SMTP configured (production and tests)': idpLines,
      'mounted only in demo mode (no IdP or SMTP configured, not production)': demoLines.filter(
        (line) => !idpLines.includes(line),
      ),
      'mounted with an IdP and SMTP configured but not in demo mode': idpLines.filter(
        (line) => !demoLines.includes(line),
      ),
    }).toMatchSnapshot();
  });
});
