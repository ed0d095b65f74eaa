import request from 'supertest';
import { DEMO_PERSONAS, type DemoPersona } from '../../src/auth/demo-idp/demo-personas';
import { formPostingTo, inlineScripts } from '../helpers/html-forms';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { cookieHeader, sessionCookieOf, TEST_IDP, testIdpEnv } from '../helpers/test-idp';

const BANNER = 'Demo identity provider — for local evaluation only, never used in production.';

/** The default ROLE_MAP, written out: IdP group → the Attest role it grants. */
const ROLE_OF_GROUP: Record<string, string> = {
  'attest-admins': 'admin',
  'attest-hr': 'hr',
  'attest-auditors': 'auditor',
};

function expectedRoles(persona: DemoPersona): string[] {
  const granted = persona.groups.flatMap((g) => (ROLE_OF_GROUP[g] ? [ROLE_OF_GROUP[g]] : []));
  return [...new Set(['employee', ...granted])].sort();
}

/** Path and query of an absolute URL, to replay it against the in-process server. */
function pathOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
}

describe('demo IdP: the whole sign-in cycle, as a browser without JavaScript', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t?.close();
  });

  /** /me → login → demo IdP page; returns the browser's cookies and the persona page. */
  async function reachPersonaPage() {
    const me = await request(t.server).get('/me').set('Accept', 'text/html');
    expect(me.status).toBe(302);
    expect(me.headers.location).toBe('/auth/saml/login?returnTo=%2Fme');
    return fromLogin(me.headers.location as string);
  }

  /** Follows a sign-in link to the demo IdP's persona page, sending `cookies` along. */
  async function fromLogin(loginPath: string, cookies: string[] = []) {
    const login = await request(t.server).get(loginPath).set('Cookie', cookies);
    expect(login.status).toBe(302);
    const idpUrl = login.headers.location as string;
    expect(idpUrl).toMatch(/^http:\/\/localhost:3000\/demo-idp\/sso\?SAMLRequest=/);
    const binding = cookieHeader(login).filter((c) => c.startsWith('attest_login='));
    expect(binding).toHaveLength(1);

    const page = await request(t.server).get(pathOf(idpUrl)).set('Cookie', cookies).expect(200);
    return { cookies: [...cookies, ...binding], page };
  }

  /** Chooses `personaId` on the persona page and posts the IdP's answer to the ACS. */
  async function chooseAndPost(personaPage: string, personaId: string, cookies: string[]) {
    const form = formPostingTo(personaPage, '/demo-idp/sso');
    expect(form.method).toBe('post');
    expect(form.hidden.SAMLRequest).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    const answer = await request(t.server)
      .post(form.action)
      .set('Cookie', cookies)
      .type('form')
      .send({ ...form.hidden, persona: personaId });
    expect(answer.status).toBe(200);

    const post = formPostingTo(answer.text, t.config.saml.acsUrl);
    expect(post.method).toBe('post');
    expect(Buffer.from(post.hidden.SAMLResponse, 'base64').toString('utf8')).toContain(
      '<samlp:Response',
    );
    const acs = await request(t.server)
      .post(new URL(post.action).pathname)
      .set('Cookie', cookies)
      .type('form')
      .send(post.hidden);
    return { answer, acs };
  }

  it('offers exactly the personas in DEMO_PERSONAS, each as a submit button', async () => {
    const { page } = await reachPersonaPage();
    const form = formPostingTo(page.text, '/demo-idp/sso');
    expect(form.buttons.filter(([name]) => name === 'persona').map(([, id]) => id)).toEqual(
      DEMO_PERSONAS.map((p) => p.id),
    );
  });

  it.each(DEMO_PERSONAS.map((p) => [p.id, p] as const))(
    'signs in as %s: /me shows the email and the roles follow the groups',
    async (_id, persona) => {
      const { cookies, page } = await reachPersonaPage();
      expect(page.text).toContain(persona.email);
      const { acs } = await chooseAndPost(page.text, persona.id, cookies);
      expect(acs.status).toBe(303);
      expect(acs.headers.location).toBe('/me');
      const session = sessionCookieOf(acs);
      expect(session).toBeDefined();

      const me = await request(t.server).get('/me').set('Cookie', [session!]).expect(200);
      expect(me.text).toContain(`data-testid="me-email">${persona.email}<`);

      const [person] = await t.db.query<{ id: string; roles: string[]; country: string }>(
        'select id, roles, country from person where email = $1',
        [persona.email],
      );
      expect([...person.roles].sort()).toEqual(expectedRoles(persona));
      expect(person.country).toBe(persona.country);
      const [row] = await t.db.query<{ mfa: boolean; idp_entity_id: string }>(
        'select mfa, idp_entity_id from session where person_id = $1 order by created_at desc limit 1',
        [person.id],
      );
      expect(row).toEqual({
        mfa: persona.mfa,
        idp_entity_id: `${t.config.publicUrl}/demo-idp/metadata`,
      });
    },
  );

  it('lets a browser that is already signed in switch to another persona', async () => {
    const [first, second] = DEMO_PERSONAS;
    const start = await reachPersonaPage();
    const signedIn = sessionCookieOf(
      (await chooseAndPost(start.page.text, first.id, start.cookies)).acs,
    );
    expect(signedIn).toBeDefined();

    // The overview's sign-in link, from a browser that sends its (SameSite=Lax) session cookie
    // on these same-site requests too.
    const overview = await request(t.server).get('/demo-idp').set('Cookie', [signedIn!]);
    const link = /<a class="button" href="([^"]+)"/.exec(overview.text)![1];
    const again = await fromLogin(link, [signedIn!]);
    const { answer, acs } = await chooseAndPost(again.page.text, second.id, again.cookies);
    expect(answer.status).toBe(200);
    expect(acs.status).toBe(303);
    const session = sessionCookieOf(acs)!;
    const me = await request(t.server).get('/me').set('Cookie', [session]).expect(200);
    expect(me.text).toContain(second.email);
  });

  it('refuses a persona that does not exist', async () => {
    const { page, cookies } = await reachPersonaPage();
    const form = formPostingTo(page.text, '/demo-idp/sso');
    const res = await request(t.server)
      .post('/demo-idp/sso')
      .set('Cookie', cookies)
      .type('form')
      .send({ ...form.hidden, persona: 'root' });
    expect(res.status).toBe(400);
    expect(res.text).not.toContain('SAMLResponse');
  });

  describe('pages', () => {
    it('shows the demo banner on the overview and on the persona choice', async () => {
      const overview = await request(t.server).get('/demo-idp').expect(200);
      const { page } = await reachPersonaPage();
      for (const html of [overview.text, page.text]) {
        expect(html).toContain('class="demo-banner"');
        expect(html).toContain(BANNER);
      }
    });

    it('has no inline script on any demo page; the auto-submit script is served from /assets', async () => {
      const overview = await request(t.server).get('/demo-idp').expect(200);
      const { page, cookies } = await reachPersonaPage();
      const { answer } = await chooseAndPost(page.text, DEMO_PERSONAS[0].id, cookies);
      for (const html of [overview.text, page.text, answer.text]) {
        expect(inlineScripts(html)).toEqual([]);
      }
      expect(answer.text).toContain('<script src="/assets/auto-submit.js"></script>');
      const script = await request(t.server).get('/assets/auto-submit.js').expect(200);
      expect(script.headers['content-type']).toMatch(/javascript/);
      expect(answer.headers['content-security-policy']).toContain("script-src 'self'");
    });

    it('publishes its metadata, naming the SSO endpoint the SP redirects to', async () => {
      const res = await request(t.server).get('/demo-idp/metadata').expect(200);
      expect(res.headers['content-type']).toContain('application/samlmetadata+xml');
      expect(res.text).toContain(`Location="${t.config.publicUrl}/demo-idp/sso"`);
    });
  });
});

describe('demo IdP with a real IdP configured', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: await testIdpEnv() });
  });

  afterAll(async () => {
    await t?.close();
  });

  it.each([
    ['GET', '/demo-idp'],
    ['GET', '/demo-idp/metadata'],
    ['GET', '/demo-idp/sso?SAMLRequest=x'],
    ['POST', '/demo-idp/sso'],
  ])('%s %s is not mounted (404)', async (method, path) => {
    const res =
      method === 'GET'
        ? await request(t.server).get(path)
        : await request(t.server).post(path).type('form').send({ persona: 'admin' });
    expect(res.status).toBe(404);
  });

  it('sends sign-in to the configured IdP, not the demo one', async () => {
    const res = await request(t.server).get('/auth/saml/login').expect(302);
    expect(res.headers.location).toMatch(new RegExp(`^${TEST_IDP.ssoUrl}\\?SAMLRequest=`));
  });
});
