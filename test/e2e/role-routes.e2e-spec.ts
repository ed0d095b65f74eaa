// Every role against every route, over HTTP, signed in through the real SAML flow. What each
// role should get is derived from permissionsFor() and each route's declaration, so the walk
// checks the guard, the session's permissions and the error filter against the table. The
// table itself is pinned by the decision matrix snapshot: a diff there is a permission change.
import request from 'supertest';
import { Permission } from '../../src/access/permission';
import { permissionsFor } from '../../src/access/role-permissions';
import { Role } from '../../src/access/role';
import { type AppRoute, listRoutes, routeKey } from '../helpers/app-routes';
import { PERSONAS, type Persona, type SignedIn, signInAs } from '../helpers/role-sessions';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { signIn, TEST_IDP, testIdpEnv } from '../helpers/test-idp';

type Decision = 'allowed' | 'sign in' | 'step up' | 'refused';

function decide(route: AppRoute, who: SignedIn): Decision {
  if (route.declaration === 'public') return 'allowed';
  if (!route.permission) return 'refused';
  if (!who.persona.signIn) return 'sign in';
  if (permissionsFor(who.roles, who.totpVerified).has(route.permission)) return 'allowed';
  if (permissionsFor(who.roles, true).has(route.permission)) return 'step up';
  return 'refused';
}

/** The person the walk's ids name (set once they exist). */
let victimPersonId = '';

/** Each GET route's own answer to someone it admits: not a permission, just what it does. */
const ALLOWED_GET: Record<string, (who: SignedIn) => string> = {
  'GET /': () => '200',
  'GET /healthz': () => '200',
  'GET /readyz': () => '200',
  // No METRICS_TOKEN here: the route does not exist. With one, its bearer token decides
  // (metrics.e2e-spec.ts), whatever session comes with it.
  'GET /metrics': () => '404',
  // The configured protocol's sign-in, with the same return path.
  'GET /auth/login': () => '302 /auth/saml/login?returnTo=%2Fme',
  'GET /auth/saml/login': () => `302 ${TEST_IDP.ssoUrl}`,
  'GET /auth/saml/metadata': () => '200',
  'GET /auth/saml/slo': () => '400', // no signed LogoutRequest: refused, whoever asks
  'GET /auth/totp': (who) => (who.totpVerified ? '303 /admin' : '200'),
  'GET /me': () => '200',
  // A leaver's one-time link: the landing page, which a bad link answers in words (no leak
  // of whether it ever existed), and the thank-you page after signing.
  'GET /leaving/links/:secret': () => '404',
  'GET /leaving/done': () => '200',
  // A manager's view of a leaver's tasks: the walk's person is not leaving.
  'GET /offboarding/people/:id': () => '404',
  // Only a one-time link's session holds leaver.sign, and no role grants it: never admitted in
  // this walk (offboarding.integration-spec.ts signs through a real link).
  'GET /leaving': () => '200',
  'GET /leaving/consent': () => '200',
  'GET /leaving/documents/:documentId': () => '200',
  'GET /admin': () => '200',
  'GET /admin/configuration': () => '200',
  'GET /admin/people': () => '200',
  'GET /admin/people/:id/sessions': () => '200',
  'GET /people': () => '200',
  'GET /people/import': () => '200',
  'GET /people/:id': () => '200',
  'GET /people/:id/edit': () => '200',
  'GET /background-checks': () => '200',
  // The record-level policy: HR, auditors and admins see it; other employees get 404.
  'GET /background-checks/:id': (who) =>
    permissionsFor(who.roles, who.totpVerified).has(Permission.BackgroundCheckStatusRead)
      ? '200'
      : '404',
  'GET /background-checks/:id/edit': () => '200',
  'GET /me/background-checks': () => '200',
  'GET /people/:personId/background-checks/new': () => '200',
  'GET /onboarding': () => '200',
  'GET /onboarding/overdue': () => '200',
  // Moved to the one person page.
  'GET /onboarding/people/:id': () => `301 /people/${victimPersonId}#requirements`,
  // "Record a check": choose the person first.
  'GET /background-checks/new': () => '200',
  'GET /documents': () => '200',
  'GET /documents/consent': () => '200',
  'GET /documents/:documentId': () => '200',
  'GET /documents/:documentId/versions/:version': () => '200',
  'GET /me/history': () => '200',
  'GET /training': () => '200',
  'GET /training/:moduleId': () => '200',
  // Attempts are the person's own: someone else's id answers 404, whoever asks.
  'GET /training/:moduleId/attempts/:attemptId': () => '404',
  'GET /document-signatures': () => '200',
  'GET /document-signatures/:documentId': () => '200',
  'GET /api/docs': () => '200',
  'GET /api/docs-json': () => '200',
  'GET /api/docs/assets/:file': () => '200',
  // Unknown ids (the walk creates no attestations, samples or exports) look like forbidden ones.
  'GET /attestations/:id/pdf': () => '404',
  'GET /audit': () => '200',
  'GET /audit.csv': () => '200',
  'GET /auditors': () => '200',
  // The walk's id is a session's, not a person's: 404, as for any unknown person.
  'GET /auditors/people/:id': () => '404',
  'GET /auditors/controls': () => '200',
  'GET /auditors/controls/:id.csv': () => '200',
  'GET /auditors/populations': () => '200',
  // The period is required: without from and to, 400 names them.
  'GET /auditors/populations/:population.csv': () => '400',
  'GET /auditors/samples/:id': () => '404',
  'GET /auditors/samples/:id.csv': () => '404',
  'GET /exports': () => '200',
  'GET /exports/:id': () => '404',
  'GET /exports/:id/download': () => '404',
  'GET /me/compliance-summary': () => '200',
  'GET /people/:id/compliance-summary': () => '200',
  'GET /verify': () => '200',
  // No attestation has this id: refused with its reason, whoever asks.
  'GET /verify/:id': () => '422',
  'GET /notifications': () => '200',
  'GET /dev/mailbox': () => '200',
  // No message has the walk's id.
  'GET /notifications/:id': () => '404',
  'GET /dev/mailbox/:id': () => '404',
  'GET /dev/mailbox/:id/html': () => '404',
};

/** Where the browser is sent, without the query of an off-site redirect (the AuthnRequest). */
function outcome(res: request.Response): string {
  const location = res.headers.location as string | undefined;
  if (!location) return String(res.status);
  const url = new URL(location, 'http://attest.invalid');
  const where = url.origin === 'http://attest.invalid' ? location : `${url.origin}${url.pathname}`;
  return `${res.status} ${where}`;
}

describe('every role against every route', () => {
  let t: TestApp;
  let routes: AppRoute[];
  const signedIn = new Map<string, SignedIn>();
  let victim: { personId: string; sessionId: string; checkId: string; cookies: string[] };

  /** A concrete URL for a route, with real ids for its parameters. */
  function urlOf(route: AppRoute): string {
    const ids: Record<string, string> = {
      'GET /admin/people/:id/sessions': signedIn.get('admin-with-totp')!.personId!,
      'POST /admin/people/:id/sessions/revoke': victim.personId,
      'POST /admin/sessions/:id/revoke': victim.sessionId,
      'GET /people/:id': victim.personId,
      'GET /people/:id/edit': victim.personId,
      'POST /people/:id': victim.personId,
      'GET /onboarding/people/:id': victim.personId,
      'GET /background-checks/:id': victim.checkId,
      'GET /background-checks/:id/edit': victim.checkId,
      'POST /background-checks/:id': victim.checkId,
      'GET /people/:personId/background-checks/new': victim.personId,
      'POST /onboarding/people/:id/waivers': victim.personId,
      'GET /documents/:documentId': 'nda',
      'GET /document-signatures/:documentId': 'nda',
      'GET /training/:moduleId': 'training-phishing',
      'GET /api/docs/assets/:file': 'swagger-ui.css',
      'GET /attestations/:id/pdf': victim.sessionId,
      'GET /auditors/controls/:id.csv': 'soc2-cc1.1',
      'GET /auditors/populations/:population.csv': 'new-hires',
      'GET /auditors/samples/:id': victim.sessionId,
      'GET /auditors/people/:id': victim.sessionId,
      'GET /auditors/samples/:id.csv': victim.sessionId,
      'GET /exports/:id': victim.sessionId,
      'GET /exports/:id/download': victim.sessionId,
      'GET /people/:id/compliance-summary': victim.personId,
      'GET /verify/:id': victim.sessionId,
      // Any UUID: the decision is made before the message is looked up.
      'GET /notifications/:id': victim.sessionId,
      'GET /offboarding/people/:id': victim.personId,
      'POST /people/:id/offboarding/signing-links': victim.personId,
      'GET /leaving/documents/:documentId': 'post-employment-obligations',
      // Not a link Attest issued: the landing page must not tell whether one ever existed.
      'GET /leaving/links/:secret': 'not-a-real-link-secret',
      'GET /dev/mailbox/:id': victim.sessionId,
      'GET /dev/mailbox/:id/html': victim.sessionId,
      'POST /people/:id/reminders': victim.personId,
      'POST /people/:id/legal-hold': victim.personId,
      'POST /people/:id/legal-hold/lift': victim.personId,
    };
    // Routes with several parameters get their whole path.
    const paths: Record<string, string> = {
      'GET /documents/:documentId/versions/:version': '/documents/nda/versions/1.0.0',
      'POST /documents/:documentId/versions/:version/signatures':
        '/documents/nda/versions/1.0.0/signatures',
      'POST /leaving/documents/:documentId/versions/:version/signatures':
        '/leaving/documents/post-employment-obligations/versions/1.0.0/signatures',
      'POST /people/:id/offboarding/tasks/:requirementId': `/people/${victim.personId}/offboarding/tasks/leaver-exit-interview`,
      'POST /people/:id/offboarding/signing-links/:linkId/revoke': `/people/${victim.personId}/offboarding/signing-links/${victim.sessionId}/revoke`,
      'POST /training/:moduleId/versions/:version/attempts':
        '/training/training-phishing/versions/1.0.0/attempts',
      'GET /training/:moduleId/attempts/:attemptId': `/training/training-phishing/attempts/${victim.sessionId}`,
    };
    if (!route.path.includes(':')) return route.path;
    const path = paths[routeKey(route)];
    if (path) return path;
    const id = ids[routeKey(route)];
    if (!id) throw new Error(`give ${routeKey(route)} a real id in urlOf()`);
    return route.path.replace(/:\w+/, id);
  }

  beforeAll(async () => {
    t = await createTestApp({ env: await testIdpEnv() });
    // Bearer-token API routes never admit a browser session; their own e2e suites cover them.
    routes = listRoutes(t.app).filter((r) => !r.declaration.startsWith('api-token:'));
    for (const persona of PERSONAS) signedIn.set(persona.name, await signInAs(t, persona));
    const email = 'victor.victim@corp.example';
    const sp = { acsUrl: t.config.saml.acsUrl, spEntityId: t.config.saml.spEntityId };
    const cookies = [await signIn(t.server, sp, { email })];
    const [row] = await t.db.query<{ person_id: string; session_id: string }>(
      `select p.id as person_id, s.id as session_id from person p
         join session s on s.person_id = p.id where p.email = $1`,
      [email],
    );
    const [check] = await t.db.query<{ id: string }>(
      `insert into background_check (id, person_id, type, jurisdiction, status, created_at, updated_at)
       values (gen_random_uuid(), $1, 'employment_verification', 'US', 'invited', now(), now())
       returning id`,
      [row.person_id],
    );
    victim = { personId: row.person_id, sessionId: row.session_id, checkId: check.id, cookies };
    victimPersonId = victim.personId;
  });

  afterAll(async () => {
    await t?.close();
  });

  it('signed each persona in with the roles the default ROLE_MAP gives its groups', () => {
    const roles = Object.fromEntries(
      PERSONAS.map((p) => [p.name, [...signedIn.get(p.name)!.roles].sort()]),
    );
    expect(roles).toEqual({
      anonymous: [],
      employee: [Role.Employee],
      hr: [Role.Employee, Role.Hr].sort(),
      auditor: [Role.Auditor, Role.Employee].sort(),
      'admin-without-totp': [Role.Admin, Role.Employee].sort(),
      'admin-with-totp': [Role.Admin, Role.Employee].sort(),
    });
  });

  it('matches the reviewed decision for every role and route', () => {
    const matrix = PERSONAS.flatMap((p) =>
      routes.map(
        (r) => `${p.name.padEnd(18)} ${routeKey(r)} → ${decide(r, signedIn.get(p.name)!)}`,
      ),
    );
    expect(matrix).toMatchSnapshot();
  });

  it('knows how every GET route answers someone it admits', () => {
    const gets = routes.filter((r) => r.method === 'GET').map(routeKey);
    expect(gets.filter((key) => !ALLOWED_GET[key])).toEqual([]);
  });

  it.each(PERSONAS.map((p) => [p.name, p] as [string, Persona]))(
    '%s: every GET route answers as the table says',
    async (name) => {
      const who = signedIn.get(name)!;
      const expected: string[] = [];
      const actual: string[] = [];
      for (const route of routes.filter((r) => r.method === 'GET')) {
        const url = urlOf(route);
        const decision = decide(route, who);
        const answer = {
          allowed: () => ALLOWED_GET[routeKey(route)](who),
          'sign in': () => `302 /auth/saml/login?returnTo=${encodeURIComponent(url)}`,
          'step up': () => '302 /auth/totp',
          refused: () => '403',
        }[decision]();
        const res = await request(t.server)
          .get(url)
          .set('Cookie', who.cookies)
          .set('Accept', 'text/html');
        expected.push(`GET ${url} (${decision}) → ${answer}`);
        actual.push(`GET ${url} (${decision}) → ${outcome(res)}`);
      }
      expect(actual).toEqual(expected);
    },
  );

  it.each(PERSONAS.map((p) => [p.name, p] as [string, Persona]))(
    '%s: every POST route it may not use is refused before the handler runs',
    async (name) => {
      const who = signedIn.get(name)!;
      const expected: string[] = [];
      const actual: string[] = [];
      for (const route of routes.filter((r) => r.method === 'POST')) {
        const decision = decide(route, who);
        if (decision === 'allowed') continue;
        const res = await request(t.server)
          .post(urlOf(route))
          .set('Cookie', who.cookies)
          .set('Accept', 'text/html')
          .type('form')
          .send(who.csrfToken ? { _csrf: who.csrfToken } : {});
        expected.push(`${routeKey(route)} (${decision}) → ${decision === 'sign in' ? 401 : 403}`);
        actual.push(`${routeKey(route)} (${decision}) → ${res.status}`);
      }
      expect(actual).toEqual(expected);
      const [live] = await t.db.query<{ live: boolean }>(
        'select ended_at is null as live from session where id = $1',
        [victim.sessionId],
      );
      expect(live).toEqual({ live: true });
    },
  );

  describe('CSRF', () => {
    const forgeries: Array<[string, Record<string, string>]> = [
      ['no _csrf', {}],
      ['a wrong _csrf', { _csrf: 'not-the-session-token' }],
    ];

    it.each(forgeries)(
      'refuses %s on every state-changing POST, to someone the route admits',
      async (_case, body) => {
        const admin = signedIn.get('admin-with-totp')!;
        // A one-time link's pages admit only its session, which no role holds: their CSRF is
        // walked in offboarding.integration-spec.ts.
        const checked = routes.filter(
          (r) => r.method === 'POST' && !r.skipsCsrf && r.permission !== Permission.LeaverSign,
        );
        expect(checked.length).toBeGreaterThan(0);
        const answers: string[] = [];
        for (const route of checked) {
          expect(`${routeKey(route)} ${decide(route, admin)}`).toBe(`${routeKey(route)} allowed`);
          const res = await request(t.server)
            .post(urlOf(route))
            .set('Cookie', admin.cookies)
            .set('Accept', 'text/html')
            .type('form')
            .send(body);
          const csrf = res.text.includes('did not come from Attest') ? 'csrf' : 'other';
          answers.push(`${routeKey(route)} → ${res.status} ${csrf}`);
        }
        expect(answers).toEqual(checked.map((r) => `${routeKey(r)} → 403 csrf`));
        // Refused before the handler: the admin is still signed in, the victim too.
        await request(t.server).get('/me').set('Cookie', admin.cookies).expect(200);
        await request(t.server).get('/me').set('Cookie', victim.cookies).expect(200);
      },
    );

    it('ends the sessions when the form carries the session token', async () => {
      const admin = signedIn.get('admin-with-totp')!;
      const res = await request(t.server)
        .post(`/admin/people/${victim.personId}/sessions/revoke`)
        .set('Cookie', admin.cookies)
        .set('Accept', 'text/html')
        .type('form')
        .send({ _csrf: admin.csrfToken });
      expect(outcome(res)).toBe(`303 /admin/people/${victim.personId}/sessions`);
      const after = await request(t.server)
        .get('/me')
        .set('Cookie', victim.cookies)
        .set('Accept', 'text/html');
      expect(outcome(after)).toBe('302 /auth/saml/login?returnTo=%2Fme');
    });
  });
});
