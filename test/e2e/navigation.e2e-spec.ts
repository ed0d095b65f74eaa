import request from 'supertest';
import { PERSONAS, signInAs } from '../helpers/role-sessions';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { testIdpEnv } from '../helpers/test-idp';

/** The links of the page header's wide rendering, in order. */
function headerLinks(html: string): string[] {
  const nav = /<nav class="nav-wide[^"]*"[\s\S]*?<\/nav>/.exec(html)?.[0] ?? '';
  return [...nav.matchAll(/<a href="([^"]+)"[^>]*>/g)].map(([, href]) =>
    href.replace(/&#x3D;/g, '='),
  );
}

/** Every persona reaches its work by clicking from where it lands, and no link answers 403. */
describe('navigation by role (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: await testIdpEnv() });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('shows an anonymous visitor the way to sign in, on the home page', async () => {
    const res = await request(t.server).get('/').set('Accept', 'text/html').expect(200);
    expect(headerLinks(res.text)).toEqual(['/auth/login?returnTo=%2Fme']);
    expect(res.text).toContain('Sign in with your company account');
    expect(res.text).not.toContain('Sign out');
  });

  it.each(PERSONAS.filter((p) => p.signIn).map((p) => [p.name, p] as const))(
    '%s: every header link opens, from every page it leads to',
    async (_name, persona) => {
      const who = await signInAs(t, persona);
      const get = (path: string) =>
        request(t.server).get(path).set('Cookie', who.cookies).set('Accept', 'text/html');
      const landing = await get('/me').expect(200);
      const links = headerLinks(landing.text);
      expect(links.slice(0, 4)).toEqual(['/me', '/documents', '/training', '/me/history']);
      for (const href of links) {
        const res = await get(href);
        if (href === '/auth/totp') {
          expect(res.status).toBe(200);
          continue;
        }
        expect([href, res.status]).toEqual([href, 200]);
        // The same header on the page it leads to, and a way out on each.
        expect(headerLinks(res.text)).toEqual(links);
        expect(res.text).toContain('action="/auth/logout"');
      }
    },
  );

  it('shows the areas a role opens, and only those', async () => {
    const hr = await signInAs(
      t,
      PERSONAS.find((p) => p.name === 'hr')!,
    );
    const employee = await signInAs(
      t,
      PERSONAS.find((p) => p.name === 'employee')!,
    );
    const page = async (cookies: string[]) =>
      headerLinks(
        (await request(t.server).get('/me').set('Cookie', cookies).set('Accept', 'text/html')).text,
      );
    expect(await page(employee.cookies)).toEqual(['/me', '/documents', '/training', '/me/history']);
    expect(await page(hr.cookies)).toEqual(
      expect.arrayContaining(['/people', '/onboarding', '/background-checks']),
    );
    expect(await page(hr.cookies)).not.toContain('/audit');
  });

  it('signs out from the header of any page', async () => {
    const who = await signInAs(
      t,
      PERSONAS.find((p) => p.name === 'employee')!,
    );
    const page = await request(t.server)
      .get('/training')
      .set('Cookie', who.cookies)
      .set('Accept', 'text/html')
      .expect(200);
    const token = /action="\/auth\/logout"[\s\S]*?name="_csrf" value="([^"]+)"/.exec(
      page.text,
    )?.[1];
    await request(t.server)
      .post('/auth/logout')
      .set('Cookie', who.cookies)
      .type('form')
      .send({ _csrf: token })
      .expect(200);
    const after = await request(t.server)
      .get('/me')
      .set('Cookie', who.cookies)
      .set('Accept', 'text/html');
    expect(after.status).toBe(302);
  });

  it('marks where the person is, and gives a page below an area its breadcrumbs', async () => {
    const who = await signInAs(
      t,
      PERSONAS.find((p) => p.name === 'employee')!,
    );
    const get = (path: string) =>
      request(t.server).get(path).set('Cookie', who.cookies).set('Accept', 'text/html');
    const history = await get('/me/history').expect(200);
    expect(history.text).toMatch(/<a href="\/me\/history" aria-current="page">My history<\/a>/);
    expect(history.text).not.toContain('aria-label="Breadcrumb"');

    const documents = await get('/documents').expect(200);
    const first = /href="(\/documents\/[a-z0-9-]+)"/.exec(documents.text)?.[1];
    expect(first).toBeDefined();
    const nested = await get(first!).expect(200);
    const trail = /<nav class="breadcrumbs" aria-label="Breadcrumb">([\s\S]*?)<\/nav>/.exec(
      nested.text,
    )?.[1];
    expect(trail).toContain('<a href="/me">My tasks</a>');
    expect(trail).toContain('<a href="/documents">My documents</a>');
    expect(trail).toMatch(/<span aria-current="page">[^<]+<\/span>/);
  });

  it('serves the favicon the layout names', async () => {
    const home = await request(t.server).get('/').set('Accept', 'text/html').expect(200);
    expect(home.text).toContain('<link rel="icon" href="/assets/favicon.svg"');
    const icon = await request(t.server).get('/assets/favicon.svg').expect(200);
    expect(icon.headers['content-type']).toContain('image/svg+xml');
  });
});
