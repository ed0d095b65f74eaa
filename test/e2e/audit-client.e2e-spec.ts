// Requests that have a client record its address and user agent in the audit log: sign-in, the
// people import and the reads of reports (src/audit/audit-client.context.ts fills them in).
import request from 'supertest';
import { csrfTokenIn } from '../helpers/html-forms';
import { PERSONAS, signInAs, type SignedIn } from '../helpers/role-sessions';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { startLogin, testIdpEnv, testIdpResponse } from '../helpers/test-idp';

const BROWSER = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 Safari/17.6';

describe('the client of each request, in the audit events it records', () => {
  let t: TestApp;
  let hr: SignedIn;
  let auditor: SignedIn;

  /** The newest event with this action: its client, as stored. */
  const clientOf = async (action: string) => {
    const [row] = await t.db.query<{ ip: string | null; user_agent: string | null }>(
      'select ip, user_agent from audit_event where action = $1 order by seq desc limit 1',
      [action],
    );
    return row;
  };
  const expectClient = async (action: string) => {
    const row = await clientOf(action);
    expect(row).toBeDefined();
    expect(row.ip).toMatch(/127\.0\.0\.1|::1/);
    expect(row.user_agent).toBe(BROWSER);
  };

  beforeAll(async () => {
    t = await createTestApp({ env: await testIdpEnv() });
    hr = await signInAs(
      t,
      PERSONAS.find((p) => p.name === 'hr')!,
    );
    auditor = await signInAs(
      t,
      PERSONAS.find((p) => p.name === 'auditor')!,
    );
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  it('records the client of a sign-in', async () => {
    const login = await startLogin(t.server);
    const built = await testIdpResponse(
      t.config.saml.acsUrl,
      t.config.saml.spEntityId,
      login.requestId,
      { email: 'ua.tester@corp.example', groups: ['all-staff'] },
    );
    await request(t.server)
      .post('/auth/saml/acs')
      .set('Cookie', login.cookies)
      .set('User-Agent', BROWSER)
      .type('form')
      .send({ SAMLResponse: built.base64 })
      .expect(303);
    await expectClient('auth.login_succeeded');
  });

  it('records the client of a people import', async () => {
    const page = await request(t.server)
      .get('/people/import')
      .set('Cookie', hr.cookies)
      .expect(200);
    const csv = [
      'employee_number,email,full_name,department,job_title,manager_email,employment_type,country,region,start_date,end_date,status',
      'UA001,ua.import@corp.example,Ula Import,Finance,Analyst,,employee,GB,,2026-01-05,,active',
    ].join('\n');
    await request(t.server)
      .post('/people/import')
      .set('Cookie', hr.cookies)
      .set('Accept', 'text/html')
      .set('User-Agent', BROWSER)
      .field('_csrf', csrfTokenIn(page.text))
      .attach('file', Buffer.from(csv), { filename: 'people.csv', contentType: 'text/csv' })
      .expect((res) => expect(res.status).toBeLessThan(400));
    await expectClient('person.imported');
  });

  it.each([
    ['the signatures of a document', 'hr', '/document-signatures/nda', 'signature.report.read'],
    [
      'a population',
      'auditor',
      '/auditors/populations?from=2026-01-01&to=2026-12-31',
      'population.viewed',
    ],
    ['the audit log CSV', 'auditor', '/audit.csv', 'audit.exported'],
  ])('records the client of a read of %s', async (_what, who, path, action) => {
    await request(t.server)
      .get(path)
      .set('Cookie', (who === 'hr' ? hr : auditor).cookies)
      .set('Accept', 'text/html')
      .set('User-Agent', BROWSER)
      .expect(200);
    await expectClient(action);
  });
});
