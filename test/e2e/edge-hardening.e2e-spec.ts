import request from 'supertest';
import { PERSONAS, signInAs, type SignedIn } from '../helpers/role-sessions';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { testIdpEnv } from '../helpers/test-idp';

const persona = (name: string) => PERSONAS.find((p) => p.name === name)!;

/** Control characters are refused at the edge; personal data is never cached. */
describe('edge hardening (e2e)', () => {
  let t: TestApp;
  let hr: SignedIn;
  let auditor: SignedIn;

  beforeAll(async () => {
    t = await createTestApp({ env: await testIdpEnv() });
    hr = await signInAs(t, persona('hr'));
    auditor = await signInAs(t, persona('auditor'));
  });

  afterAll(async () => {
    await t?.close();
  });

  const get = (who: SignedIn, path: string, accept = 'text/html') =>
    request(t.server).get(path).set('Cookie', who.cookies).set('Accept', accept);

  describe('control characters', () => {
    it.each([
      ['a list filter', '/onboarding/overdue?department=Sales%00', 'department'],
      ['a search', '/people?status=active%00', 'status'],
      ['an escape in a filter', '/people?department=%1B%5B31m', 'department'],
      ['an id in the path', '/people/abc%00def', 'id'],
    ])('answers %s holding one with 400 naming the field', async (_case, path, field) => {
      const res = await get(hr, path);
      expect(res.status).toBe(400);
      expect(res.text).toContain(`The field “${field}” contains an invisible control character`);
    });

    it('names the field in JSON for the API', async () => {
      const res = await get(hr, '/onboarding/overdue?country=G%00', 'application/json');
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        status: 400,
        details: { field: 'country', codePoint: 'U+0000' },
      });
    });

    it('refuses one in a form field, and nothing is written', async () => {
      const res = await request(t.server)
        .post(`/people/${hr.personId}`)
        .set('Cookie', hr.cookies)
        .set('Accept', 'text/html')
        .type('form')
        .send({ _csrf: hr.csrfToken!, jobTitle: 'Head\u0000of People' });
      expect(res.status).toBe(400);
      expect(res.text).toContain('“jobTitle”');
      const [row] = await t.db.query<{ job_title: string | null }>(
        'select job_title from person where id = $1',
        [hr.personId],
      );
      expect(row.job_title ?? '').not.toContain('\u0000');
    });

    it('keeps the line breaks a text area sends', async () => {
      const res = await request(t.server)
        .post('/auth/logout')
        .set('Cookie', auditor.cookies)
        .set('Accept', 'text/html')
        .type('form')
        .send({ _csrf: auditor.csrfToken!, note: 'line one\r\n\tline two' });
      expect(res.status).toBe(200);
      auditor = await signInAs(t, persona('auditor'));
    });
  });

  describe('Cache-Control', () => {
    it.each([
      ['hr', '/me'],
      ['hr', '/people'],
      ['hr', '/people?format=csv'],
      ['hr', '/onboarding'],
      ['auditor', '/audit'],
      ['auditor', '/audit.csv'],
      ['auditor', '/auditors/populations/active.csv?from=2026-01-01&to=2026-12-31'],
      ['hr', '/me/compliance-summary'],
    ])('is no-store for %s on %s', async (who, path) => {
      const res = await get(who === 'hr' ? hr : auditor, path);
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
    });

    it('is no-store on the API and on error pages', async () => {
      const api = await request(t.server).get('/api/v1/people').set('Accept', 'application/json');
      expect(api.headers['cache-control']).toBe('no-store');
      const missing = await get(hr, '/nothing-here');
      expect(missing.status).toBe(404);
      expect(missing.headers['cache-control']).toBe('no-store');
    });

    it('leaves static assets cacheable', async () => {
      const res = await request(t.server).get('/assets/app.css').expect(200);
      expect(res.headers['cache-control']).not.toContain('no-store');
    });
  });
});
