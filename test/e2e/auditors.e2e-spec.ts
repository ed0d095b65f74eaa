// Auditors over HTTP: populations and their CSVs, reproducible recorded samples, evidence by
// control, who may see them, and the read-only auditor API with its OpenAPI documentation.
import request from 'supertest';
import { ApiTokensService } from '../../src/api-tokens/api-tokens.service';
import { drawSample } from '../../src/auditors/seeded-sample';
import { aPersonRow, insertPeople, type PersonRow } from '../factories/auditor-people.factory';
import { listRoutes } from '../helpers/app-routes';
import { PERSONAS, signInAs, type SignedIn } from '../helpers/role-sessions';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { testIdpEnv } from '../helpers/test-idp';

const FROM = '2025-01-01';
const TO = '2025-06-30';
const PERIOD = `from=${FROM}&to=${TO}`;

describe('auditors', () => {
  let t: TestApp;
  const who = new Map<string, SignedIn>();
  let hires: PersonRow[];
  let leavers: PersonRow[];
  const tokens: Record<'auditor' | 'integration' | 'revoked' | 'expired', string> = {
    auditor: '',
    integration: '',
    revoked: '',
    expired: '',
  };

  const as = (persona: string) => who.get(persona)!;
  const get = (persona: string, path: string) =>
    request(t.server).get(path).set('Cookie', as(persona).cookies).set('Accept', 'text/html');
  const postSample = (persona: string, form: Record<string, unknown>) =>
    request(t.server)
      .post('/auditors/samples')
      .set('Cookie', as(persona).cookies)
      .set('Accept', 'text/html')
      .type('form')
      .send({ _csrf: as(persona).csrfToken ?? '', from: FROM, to: TO, ...form });
  /** A GET with the auditor token, another token, or (null) none. */
  const api = (path: string, token: string | null = tokens.auditor) => {
    const req = request(t.server).get(path);
    return token ? req.set('Authorization', `Bearer ${token}`) : req;
  };
  const csvLines = (text: string) => text.trimEnd().split('\r\n');
  /** The documented order: employee number (these are ASCII), then id. */
  const ordered = (rows: PersonRow[]) =>
    [...rows].sort((a, b) => (a.employeeNumber! < b.employeeNumber! ? -1 : 1));

  beforeAll(async () => {
    t = await createTestApp({ env: await testIdpEnv() });
    for (const persona of PERSONAS) who.set(persona.name, await signInAs(t, persona));
    hires = Array.from({ length: 12 }, (_, i) =>
      aPersonRow({
        employeeNumber: `H${String(i).padStart(3, '0')}`,
        startDate: `2025-0${1 + (i % 6)}-1${i % 9}`,
      }),
    );
    leavers = [
      aPersonRow({ employeeNumber: 'L001', startDate: '2019-03-01', endDate: FROM }),
      aPersonRow({ employeeNumber: 'L002', startDate: '2019-03-01', endDate: TO }),
      aPersonRow({ employeeNumber: 'L003', startDate: '2019-03-01', endDate: '2024-12-31' }),
    ];
    await insertPeople((sql, params) => t.db.query(sql, params), [...hires, ...leavers]);
    const service = t.app.get(ApiTokensService);
    const create = async (name: string, role: string, expires?: string) =>
      (await service.create('test', { name, role, expires })).secret;
    tokens.auditor = await create('audit-firm', 'auditor');
    tokens.integration = await create('screening-vendor', 'integration');
    tokens.revoked = await create('old-audit', 'auditor');
    await service.revoke('test', 'old-audit');
    tokens.expired = await create('last-year', 'auditor', '1d');
    await t.db.query(
      "update api_token set expires_at = now() - interval '1 minute' where name = 'last-year'",
    );
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('populations', () => {
    it('shows the counts and first rows of each population for the period', async () => {
      const res = await get('auditor', `/auditors/populations?${PERIOD}`).expect(200);
      expect(res.text).toContain('New hires: 12');
      expect(res.text).toContain('Terminations: 2');
      expect(res.text).toContain(`/auditors/populations/new-hires.csv?from=${FROM}&amp;to=${TO}`);
      expect(res.text).toContain(ordered(hires)[0].fullName);
      expect(res.text).not.toContain(leavers[2].fullName);
    });

    it('shows only the form until a period is chosen', async () => {
      const res = await get('auditor', '/auditors/populations').expect(200);
      expect(res.text).toContain('name="from"');
      expect(res.text).not.toContain('population-row');
    });

    it('downloads every person of a population as CSV, by employee number', async () => {
      const res = await get('auditor', `/auditors/populations/new-hires.csv?${PERIOD}`).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['content-disposition']).toBe(
        `attachment; filename="new-hires-${FROM}-${TO}.csv"`,
      );
      const [header, ...rows] = csvLines(res.text);
      expect(header).toBe(
        'person_id,employee_number,full_name,email,department,country,employment_type,start_date,end_date,status,access_ended_at,deprovisioned_at,offboarding_checklist',
      );
      expect(rows.map((r) => r.split(',')[0])).toEqual(ordered(hires).map((h) => h.id));
      const terminations = await get('auditor', `/auditors/populations/terminations.csv?${PERIOD}`);
      expect(
        csvLines(terminations.text)
          .slice(1)
          .map((r) => r.split(',')[1]),
      ).toEqual(['L001', 'L002']);
      const [event] = await t.db.query<{ actor_id: string; details: unknown }>(
        "select actor_id, details from audit_event where action = 'population.exported' order by seq limit 1",
      );
      expect(event).toEqual({
        actor_id: as('auditor').personId,
        details: { population: 'new-hires', from: FROM, to: TO },
      });
    });

    it.each([
      ['a malformed date', 400, '/auditors/populations?from=2025-13-01&to=2025-12-31'],
      ['a backwards period', 400, '/auditors/populations?from=2025-06-01&to=2025-01-01'],
      ['a period over five years', 400, '/auditors/populations?from=2015-01-01&to=2025-01-01'],
      ['a CSV without a period', 400, '/auditors/populations/active.csv'],
      ['an unknown population', 404, `/auditors/populations/leavers.csv?${PERIOD}`],
    ])('answers %s with %i and a message', async (_case, status, path) => {
      const res = await get('auditor', path).expect(status);
      expect(res.text).toMatch(/YYYY-MM-DD|on or before|at most 5 years|no such population/);
    });
  });

  describe('samples', () => {
    const sampleIds = async (location: string) =>
      csvLines((await get('auditor', `${location}.csv`).expect(200)).text)
        .slice(1)
        .map((line) => line.split(',')[1]);

    it('draws the same people again with the same seed, and records both draws', async () => {
      const first = await postSample('auditor', {
        population: 'new-hires',
        size: 4,
        seed: 'q3-2025',
      }).expect(303);
      const second = await postSample('auditor', {
        population: 'new-hires',
        size: 4,
        seed: 'q3-2025',
      }).expect(303);
      expect(first.headers.location).not.toBe(second.headers.location);
      const drawn = await sampleIds(first.headers.location);
      expect(await sampleIds(second.headers.location)).toEqual(drawn);
      expect(drawn).toEqual(
        drawSample(
          ordered(hires).map((h) => h.id),
          4,
          'q3-2025',
        ),
      );
      const page = await get('auditor', first.headers.location).expect(200);
      expect(page.text).toContain('<code data-testid="seed">q3-2025</code>');
      expect(page.text).toContain('Unchanged: the same people in the same order.');
      const recorded = await t.db.query<{ n: string }>(
        "select count(*)::text as n from audit_sample where seed = 'q3-2025'",
      );
      expect(recorded[0].n).toBe('2');
      const events = await t.db.query(
        "select 1 from audit_event where action = 'sample.drawn' and actor_id = $1",
        [as('auditor').personId],
      );
      expect(events.length).toBeGreaterThanOrEqual(2);
    });

    it('makes up a seed when none is given, and shows it', async () => {
      const res = await postSample('auditor', { population: 'terminations', size: 2 }).expect(303);
      const page = await get('auditor', res.headers.location).expect(200);
      expect(page.text).toMatch(/<code data-testid="seed">[0-9a-f]{32}<\/code>/);
    });

    it.each([
      [
        'more people than the population has',
        { population: 'terminations', size: '3', seed: '' },
        'size',
        'The population has 2 people: enter a sample size of 2 or fewer (you asked for 3).',
      ],
      [
        'a seed with spaces',
        { population: 'new-hires', size: '1', seed: 'two words' },
        'seed',
        'A seed is 1 to 128 letters',
      ],
      ['a size of zero', { population: 'new-hires', size: '0', seed: '' }, 'size', 'at least one'],
      [
        'a size that is not a number',
        { population: 'new-hires', size: 'lots', seed: '' },
        'size',
        'Enter the sample size as a whole number',
      ],
    ])(
      'brings %s back on the form: summary, message beside the field, input kept',
      async (_case, form, field, message) => {
        const before = await t.db.query('select id from audit_sample');
        const res = await postSample('auditor', form).expect(422);
        expect(res.headers['content-type']).toMatch(/^text\/html/);
        expect(res.text).toContain('There is a problem');
        expect(res.text).toContain(`href="#sample-${field}"`);
        expect(res.text).toMatch(
          new RegExp(`id="sample-${field}-error">[^<]*${message.replace(/[()]/g, '\\$&')}`),
        );
        expect(res.text).toContain(`<option value="${form.population}" selected>`);
        expect(res.text).toContain(
          `id="sample-size" name="size" inputmode="numeric" value="${form.size}"`,
        );
        expect(res.text).toContain(`name="seed" maxlength="128" value="${form.seed}"`);
        expect(await t.db.query('select id from audit_sample')).toHaveLength(before.length);
      },
    );

    it('draws 25 by default, or the whole population when it has fewer, and says so', async () => {
      const form = await get('auditor', `/auditors/populations?${PERIOD}`).expect(200);
      expect(form.text).toContain('New hires gives 12');
      expect(form.text).toContain('Terminations gives 2');
      const res = await postSample('auditor', { population: 'terminations', size: '' }).expect(303);
      const page = await get('auditor', res.headers.location).expect(200);
      expect(page.text).toContain('Sample of 2');
      expect(page.text).toContain('data-testid="whole-population"');
      expect(page.text.match(/data-testid="sample-row"/g)).toHaveLength(2);
      const [event] = await t.db.query<{ details: Record<string, unknown> }>(
        "select details from audit_event where action = 'sample.drawn' order by seq desc limit 1",
      );
      expect(event.details).toMatchObject({ size: 2, sizeGiven: false, populationSize: 2 });
    });

    it('links each sampled person to their evidence', async () => {
      const res = await postSample('auditor', { population: 'new-hires', size: 3 }).expect(303);
      const id = (res.headers.location as string).split('/').pop()!;
      const page = await get('auditor', res.headers.location).expect(200);
      const links = [
        ...page.text.matchAll(
          /href="\/auditors\/people\/([0-9a-f-]{36})\?sample=([0-9a-f-]{36})"/g,
        ),
      ];
      expect(links).toHaveLength(3);
      expect(links.every((m) => m[2] === id)).toBe(true);
      expect(page.text).not.toContain('href="/people/');
    });

    it('answers an unknown sample with 404', async () => {
      await get('auditor', '/auditors/samples/00000000-0000-4000-8000-000000000000').expect(404);
    });
  });

  describe('evidence by control', () => {
    it('lists every mapped control with its counts and a CSV link', async () => {
      const res = await get('auditor', '/auditors/controls').expect(200);
      for (const id of [
        'soc2-cc1.1',
        'soc2-cc1.4',
        'soc2-cc2.2',
        'iso27001-a.6.1',
        'iso27001-a.6.6',
      ]) {
        expect(res.text).toContain(`/auditors/controls/${id}.csv`);
      }
      expect(res.text).toContain('A.6.1 Screening');
      const csv = await get('auditor', '/auditors/controls/iso27001-a.6.6.csv').expect(200);
      expect(csvLines(csv.text)[0]).toBe(
        'person_id,employee_number,full_name,email,requirement,kind,subject,version,completed_at,source,reference',
      );
      await get('auditor', '/auditors/controls/soc2-cc9.9.csv').expect(404);
    });
  });

  describe('who may see what', () => {
    const pages = [
      `/auditors/populations?${PERIOD}`,
      `/auditors/populations/active.csv?${PERIOD}`,
      '/auditors/controls',
    ];

    it.each(['auditor', 'hr', 'admin-with-totp'])(
      'lets %s read the pages and draw samples',
      async (persona) => {
        for (const path of pages) await get(persona, path).expect(200);
        await postSample(persona, { population: 'new-hires', size: 1 }).expect(303);
      },
    );

    it('refuses an employee with 403, and an unknown sample looks the same to them', async () => {
      for (const path of pages) await get('employee', path).expect(403);
      await postSample('employee', { population: 'new-hires', size: 1 }).expect(403);
      const [sample] = await t.db.query<{ id: string }>('select id from audit_sample limit 1');
      await get('employee', `/auditors/samples/${sample.id}`).expect(403);
      await get('employee', '/auditors/samples/00000000-0000-4000-8000-000000000000').expect(403);
    });

    it('sends the anonymous visitor to sign in and an admin to verify TOTP first', async () => {
      const anonymous = await get('anonymous', '/auditors/controls').expect(302);
      expect(anonymous.headers.location).toMatch(/^\/auth\/saml\/login/);
      const admin = await get('admin-without-totp', '/auditors/controls').expect(302);
      expect(admin.headers.location).toBe('/auth/totp');
    });
  });

  describe('the auditor API', () => {
    it.each([
      ['no token', null],
      ['a revoked token', 'revoked'],
      ['an expired token', 'expired'],
    ] as const)('answers %s with 401 JSON', async (_case, token) => {
      const res = await api('/api/v1/people', token && tokens[token]).expect(401);
      expect(res.body).toMatchObject({
        error: 'sign_in_required',
        message: expect.stringContaining('Bearer'),
      });
    });

    it('refuses an integration token with 403 and a browser session with 401', async () => {
      const res = await api('/api/v1/people', tokens.integration).expect(403);
      expect(res.body.error).toBe('not_allowed');
      await request(t.server)
        .get('/api/v1/people')
        .set('Cookie', as('auditor').cookies)
        .expect(401);
    });

    it('pages through everyone by keyset, and records which people each page disclosed', async () => {
      const seen: string[] = [];
      let after: string | null = null;
      do {
        const res = await api(`/api/v1/people?limit=5${after ? `&after=${after}` : ''}`).expect(
          200,
        );
        seen.push(...(res.body.data as { id: string }[]).map((p) => p.id));
        after = res.body.nextCursor as string | null;
      } while (after);
      const everyone = await t.db.query<{ id: string }>('select id from person order by id');
      expect(seen).toEqual(everyone.map((p) => p.id));
      const events = await t.db.query<{ actor_id: string; details: { personIds: string[] } }>(
        "select actor_id, details from audit_event where action = 'api.people_read' order by seq",
      );
      expect(events.every((e) => e.actor_id === 'auditor:audit-firm')).toBe(true);
      expect(events.flatMap((e) => e.details.personIds)).toEqual(seen);
    });

    it('reads one person and their requirements, recording each read', async () => {
      const hire = hires[0];
      const person = await api(`/api/v1/people/${hire.id}`).expect(200);
      expect(person.body).toEqual({
        id: hire.id,
        employeeNumber: hire.employeeNumber,
        fullName: hire.fullName,
        email: hire.email,
        department: hire.department,
        country: hire.country,
        employmentType: 'employee',
        startDate: hire.startDate,
        endDate: null,
        status: 'active',
        // A terminations population's questions: when access ended, and when SSO deprovisioned.
        accessEndedAt: null,
        deprovisionedAt: null,
      });
      const employee = as('employee').personId!;
      const requirements = await api(`/api/v1/people/${employee}/requirements`).expect(200);
      expect(requirements.body.personId).toBe(employee);
      expect(Array.isArray(requirements.body.data)).toBe(true);
      const events = await t.db.query<{ action: string; subject_id: string }>(
        "select action, subject_id from audit_event where actor_id = 'auditor:audit-firm' and subject_type = 'person' order by seq",
      );
      expect(events).toEqual([
        { action: 'api.person_read', subject_id: hire.id },
        { action: 'api.person_requirements_read', subject_id: employee },
      ]);
    });

    it('pages through a population in the order samples are drawn from', async () => {
      const seen: string[] = [];
      let after: string | null = null;
      do {
        const res = await api(
          `/api/v1/populations/new-hires?${PERIOD}&limit=5${after ? `&after=${after}` : ''}`,
        ).expect(200);
        expect(res.body).toMatchObject({ population: 'new-hires', from: FROM, to: TO });
        seen.push(...(res.body.data as { id: string }[]).map((p) => p.id));
        after = res.body.nextCursor as string | null;
      } while (after);
      expect(seen).toEqual(ordered(hires).map((h) => h.id));
    });

    it('lists the control mapping', async () => {
      const res = await api('/api/v1/controls').expect(200);
      // SOC 2 CC1.1, CC1.4, CC2.2; ISO A.6.1, A.6.2, A.6.3, A.5.11, A.6.5, A.6.6.
      expect(res.body.data).toHaveLength(9);
      expect(res.body.data[8]).toMatchObject({
        id: 'iso27001-a.6.6',
        evidence: [
          { kind: 'document', subject: 'nda' },
          { kind: 'document', subject: 'confidentiality-agreement' },
        ],
      });
    });

    it.each([
      ['a limit over 500', 400, '/api/v1/people?limit=501', { parameter: 'limit' }],
      [
        'a forged cursor',
        400,
        `/api/v1/populations/active?${PERIOD}&after=bm9wZQ`,
        { parameter: 'after' },
      ],
      ['a bad period', 400, '/api/v1/populations/active?from=2025-01-01', undefined],
      ['an unknown population', 404, `/api/v1/populations/leavers?${PERIOD}`, undefined],
      ['an unknown person', 404, '/api/v1/people/00000000-0000-4000-8000-000000000000', undefined],
    ])(
      'answers %s with %i as JSON { error, message, details }',
      async (_case, status, path, details) => {
        const res = await api(path).expect(status);
        expect(res.headers['content-type']).toMatch(/application\/json/);
        expect(res.body).toMatchObject({
          status,
          error: expect.any(String),
          message: expect.any(String),
        });
        expect(res.body.details).toEqual(details);
      },
    );
  });

  describe('OpenAPI', () => {
    it('serves the document: every auditor-token route, with bearer auth, and nothing else', async () => {
      const res = await request(t.server).get('/api/docs-json').expect(200);
      const paths = res.body.paths as Record<string, Record<string, { security?: unknown }>>;
      const documented = Object.entries(paths).flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
      );
      const auditorRoutes = listRoutes(t.app)
        .filter((r) => r.declaration === 'api-token:auditor')
        .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`);
      expect(documented.sort()).toEqual(auditorRoutes.sort());
      expect(documented).toEqual(
        expect.arrayContaining([
          'GET /api/v1/people',
          'GET /api/v1/people/{id}',
          'GET /api/v1/people/{id}/requirements',
          'GET /api/v1/populations/{population}',
          'GET /api/v1/controls',
        ]),
      );
      for (const operations of Object.values(paths)) {
        for (const operation of Object.values(operations)) {
          expect(operation.security).toEqual([{ 'auditor-token': [] }]);
        }
      }
      expect(res.body.components.securitySchemes['auditor-token']).toMatchObject({
        type: 'http',
        scheme: 'bearer',
      });
      expect(res.body.components.schemas.PersonDto.properties.email).toBeDefined();
    });

    it('serves Swagger UI under the app’s own Content-Security-Policy, with no inline script', async () => {
      const page = await request(t.server).get('/api/docs').expect(200);
      const home = await request(t.server).get('/healthz');
      expect(page.headers['content-security-policy']).toBe(home.headers['content-security-policy']);
      expect(page.headers['content-security-policy']).toContain("script-src 'self'");
      expect(page.text).not.toMatch(/<script>|<script(?![^>]*\bsrc=)[^>]*>|<style|style=/);
      for (const src of [...page.text.matchAll(/(?:src|href)="(\/[^"]+)"/g)].map((m) => m[1])) {
        await request(t.server).get(src).expect(200);
      }
      await request(t.server).get('/api/docs/assets/package.json').expect(404);
    });
  });
});
