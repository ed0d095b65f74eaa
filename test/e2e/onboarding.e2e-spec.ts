import request from 'supertest';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { signIn, testIdpEnv } from '../helpers/test-idp';

const PAST_START = '2025-01-06';

/** A group's row header, linked to its people when it names a group. */
const groupRow = (key: string) =>
  new RegExp(`<th scope="row">(<a href="[^"]+">)?${key.replace(/[()]/g, '\\$&')}(</a>)?</th>`);

describe('HR onboarding dashboards', () => {
  let t: TestApp;
  let hr: string;
  let employee: string;
  const sp = () => ({ acsUrl: t.config.saml.acsUrl, spEntityId: t.config.saml.spEntityId });

  async function personId(email: string): Promise<string> {
    const [row] = await t.db.query<{ id: string }>('select id from person where email = $1', [
      email,
    ]);
    return row.id;
  }

  beforeAll(async () => {
    t = await createTestApp({ env: await testIdpEnv() });
    hr = await signIn(t.server, sp(), {
      email: 'hana@corp.example',
      groups: ['attest-hr'],
      attributes: { department: 'People', country: 'GB', startDate: PAST_START },
    });
    employee = await signIn(t.server, sp(), {
      email: 'eli@corp.example',
      displayName: 'Eli Engineer',
      attributes: { department: 'Engineering', country: 'US', startDate: PAST_START },
    });
    await signIn(t.server, sp(), {
      email: 'dora@corp.example',
      displayName: 'Dora Designer',
      attributes: { department: 'Design', country: 'DE', startDate: PAST_START },
    });
  });

  afterAll(async () => {
    await t?.close();
  });

  const asHr = (path: string) => request(t.server).get(path).set('Cookie', [hr]);

  it('shows completion by department, country and start month, with a chart', async () => {
    const res = await asHr('/onboarding').expect(200);
    expect(res.text).toContain('<svg');
    expect(res.text).toContain('Completions per week');
    for (const key of [
      'Engineering',
      'Design',
      'People',
      'United States (US)',
      'Germany (DE)',
      'Jan 2025',
    ]) {
      expect(res.text).toMatch(groupRow(key));
    }
    const filtered = await asHr('/onboarding?country=US').expect(200);
    expect(filtered.text).toMatch(groupRow('Engineering'));
    expect(filtered.text).not.toMatch(groupRow('Design'));
  });

  it('downloads completion as CSV, counted in SQL', async () => {
    const res = await asHr('/onboarding?format=csv&by=country').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    const lines = res.text.trim().split('\r\n');
    expect(lines[0]).toBe('country,people,assignments,done,overdue,percent_done');
    const us = lines.find((l) => l.startsWith('US,'))!.split(',');
    // US employees: six agreements and policies, five training modules and two pre-start
    // checks, all long overdue.
    expect(Number(us[2])).toBe(13);
    expect(Number(us[4])).toBe(13);
  });

  it('lists overdue assignments oldest first, with keyset paging and CSV', async () => {
    const page = await asHr('/onboarding/overdue?country=US').expect(200);
    expect(page.text).toContain('Eli Engineer');
    expect(page.text).toContain('Criminal record (background check)');
    expect(page.text).not.toContain('Dora Designer');
    const csv = await asHr('/onboarding/overdue?format=csv').expect(200);
    expect(csv.text.split('\r\n')[0]).toBe(
      'email,full_name,department,country,requirement,due_date,days_overdue',
    );
    expect(csv.text).toContain('eli@corp.example');
    await asHr('/onboarding/overdue?after=not-a-cursor').expect(400);
    await asHr('/onboarding/overdue?country=USA').expect(400);
  });

  it("shows a person's requirements, and HR can waive one with a reason", async () => {
    const eli = await personId('eli@corp.example');
    const moved = await asHr(`/onboarding/people/${eli}`).expect(301);
    expect(moved.headers.location).toBe(`/people/${eli}#requirements`);
    const page = await asHr(`/people/${eli}`).expect(200);
    expect(page.text).toContain('employee-nda');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];

    await request(t.server)
      .post(`/onboarding/people/${eli}/waivers`)
      .set('Cookie', [hr])
      .type('form')
      .send({ _csrf: csrf, requirementId: 'us-criminal-record', cycle: 0, reason: '' })
      .expect(422)
      .expect((res) => {
        expect(res.text).toContain('There is a problem');
        expect(res.text).toContain('id="reason-us-criminal-record-0-error"');
      });
    await request(t.server)
      .post(`/onboarding/people/${eli}/waivers`)
      .set('Cookie', [hr])
      .type('form')
      .send({
        _csrf: csrf,
        requirementId: 'us-criminal-record',
        cycle: 0,
        reason: 'Rehire: check on file',
      })
      .expect(303);

    const [row] = await t.db.query<{ status: string; waiver_reason: string }>(
      `select status, waiver_reason from requirement_assignment
        where person_id = $1 and requirement_id = 'us-criminal-record'`,
      [eli],
    );
    expect(row).toEqual({ status: 'waived', waiver_reason: 'Rehire: check on file' });
    const after = await asHr(`/people/${eli}`).expect(200);
    expect(after.text).toContain('Rehire: check on file');
    const audit = await t.db.query("select 1 from audit_event where action = 'requirement.waived'");
    expect(audit).toHaveLength(1);
  });

  it('shows an employee their own tasks on /me, soonest due first, overdue flagged', async () => {
    const res = await request(t.server).get('/me').set('Cookie', [employee]).expect(200);
    const items = [
      ...res.text.matchAll(
        /<li class="task-list__item" data-testid="task-([^"]+)" data-status="([^"]+)">[\s\S]*?<time datetime="([^"]+)">/g,
      ),
    ].map(([, subject, status, due]) => ({ subject, status, due }));
    const screening = res.text.slice(res.text.indexOf('data-testid="task-list-screening"'));
    const own = items.filter((i) => !screening.includes(`data-testid="task-${i.subject}"`));
    const subjects = own.map((i) => i.subject);
    expect(subjects).toEqual(expect.arrayContaining(['nda', 'training-phishing']));
    // Background checks are HR's to arrange: listed under screening, never as the person's task.
    expect(subjects).not.toContain('employment_verification');
    expect(screening).toMatch(
      /data-testid="task-employment_verification" data-status="overdue">[\s\S]*?Employment verification[\s\S]*?>Overdue</,
    );
    // The criminal record check HR waived above shows as waived.
    expect(screening).toMatch(/data-testid="task-criminal_record" data-status="waived">/);
    // Started in January 2025: everything is long overdue, soonest due first in each group.
    expect(own.every((i) => i.status === 'overdue')).toBe(true);
    const agreements = own.filter((i) => ['nda', 'confidentiality-agreement'].includes(i.subject));
    const dues = agreements.map((i) => i.due);
    expect(dues).toEqual([...dues].sort());
    // Nobody else's tasks: Dora's department is not Eli's, and the page names only Eli.
    expect(res.text).not.toContain('dora@corp.example');
  });

  it('is closed to employees', async () => {
    await request(t.server).get('/onboarding').set('Cookie', [employee]).expect(403);
    await request(t.server).get('/onboarding/overdue').set('Cookie', [employee]).expect(403);
  });
});
