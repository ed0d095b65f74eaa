import request from 'supertest';
import { NotificationDelivery } from '../../src/notifications/notification-delivery.service';
import { NotificationScheduler } from '../../src/notifications/notification-scheduler.service';
import { NotificationsService } from '../../src/notifications/notifications.service';
import { DocumentSyncService } from '../../src/documents/document-sync.service';
import { copyPolicies, type PoliciesCopy } from '../factories/policies.factory';
import { csrfTokenIn, formPostingTo, unescapeHtml } from '../helpers/html-forms';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { signIn, testIdpEnv } from '../helpers/test-idp';

const HIRE = 'nia.newhire@corp.example';
const HIRE_NAME = 'Nia Newhire';
const MANAGER = 'mo.manager@corp.example';
const HR = 'hana.hr@corp.example';
// A Friday; her documents fall due a week later, Friday 15 January 2027.
const START = '2027-01-08';

interface Row {
  id: string;
  kind: string;
  recipient_email: string;
  subject: string;
  text_body: string;
  html_body: string;
  status: string;
  status_reason: string | null;
}

/**
 * The scheduler over weeks of a new hire's life, with the clock injected as `at`: notice on
 * the first working hour, reminders on the declared days, the manager and then HR, nothing
 * after she signs, nothing twice. Then HR's pages: the outbox, the mailbox, "send a reminder".
 */
describe('Notifications (e2e)', () => {
  let t: TestApp;
  let hr: string[];
  let hire: string[];
  let hireId: string;
  let employee: string[];
  let policies: PoliciesCopy;

  const sp = () => ({ acsUrl: t.config.saml.acsUrl, spEntityId: t.config.saml.spEntityId });
  const run = (at: string) => t.app.get(NotificationScheduler).run(new Date(at));
  const deliver = () => t.app.get(NotificationDelivery).drain();
  const mailTo = (email: string) =>
    t.db.query<Row>(
      'select * from notification where recipient_email = $1 order by created_at, id',
      [email],
    );
  const steps = () =>
    t.db.query<{ requirement_id: string; track: string; step: string }>(
      'select requirement_id, track, step from notification_step where person_id = $1',
      [hireId],
    );
  const get = (cookies: string[], path: string) =>
    request(t.server).get(path).set('Cookie', cookies).set('Accept', 'text/html');

  beforeAll(async () => {
    policies = copyPolicies();
    t = await createTestApp({ env: { ...(await testIdpEnv()), POLICIES_DIR: policies.dir } });
    hr = [
      await signIn(t.server, sp(), {
        email: HR,
        displayName: 'Hana HR',
        groups: ['attest-hr'],
        attributes: { country: 'GB', startDate: '2025-01-06' },
      }),
    ];
    await signIn(t.server, sp(), {
      email: MANAGER,
      displayName: 'Mo Manager',
      attributes: { country: 'GB', startDate: '2025-01-06' },
    });
    hire = [
      await signIn(t.server, sp(), {
        email: HIRE,
        displayName: HIRE_NAME,
        attributes: { country: 'GB', startDate: START, managerEmail: MANAGER },
      }),
    ];
    employee = [
      await signIn(t.server, sp(), {
        email: 'eli@corp.example',
        attributes: { country: 'US', startDate: '2025-01-06' },
      }),
    ];
    [{ id: hireId }] = await t.db.query<{ id: string }>('select id from person where email = $1', [
      HIRE,
    ]);
  });

  afterAll(async () => {
    await t?.close();
    policies?.remove();
  });

  it('holds the notice through the weekend and sends it at 09:00 on Monday, once', async () => {
    // Friday 18:30 and Saturday in London: outside working hours.
    const friday = await run('2027-01-08T18:30:00Z');
    expect(friday.held["outside the recipient's working hours"]).toBeGreaterThan(0);
    await run('2027-01-09T10:00:00Z');
    await run('2027-01-11T08:59:00Z');
    expect(await mailTo(HIRE)).toHaveLength(0);

    await run('2027-01-11T09:00:00Z');
    const [notice, ...rest] = await mailTo(HIRE);
    expect(rest).toHaveLength(0);
    expect(notice.kind).toBe('tasks');
    expect(notice.subject).toMatch(/^You have \d+ new security tasks? to complete$/);
    expect(notice.text_body).toContain(`Hello ${HIRE_NAME},`);
    expect(notice.text_body).toContain('New for you:');
    expect(notice.text_body).toMatch(/Non-Disclosure Agreement: due in 4 days \(15 Jan 2027\)/);
    // The link goes through sign-in and carries no token.
    expect(notice.text_body).toContain(
      `${t.config.publicUrl}/auth/saml/login?returnTo=%2Fdocuments%2Fnda`,
    );
    expect(notice.text_body).not.toMatch(/token|session|ticket/i);
    expect(unescapeHtml(notice.html_body)).toContain(
      `href="${t.config.publicUrl}/auth/saml/login?returnTo=%2Fdocuments%2Fnda"`,
    );

    const again = await run('2027-01-11T09:00:00Z');
    expect(again.queued).toEqual({});
    expect(await mailTo(HIRE)).toHaveLength(1);
  });

  it('sends HR the weekly digest on Monday, once a week, naming new hires who have not begun', async () => {
    const digests = async () => (await mailTo(HR)).filter((m) => m.kind === 'hr_digest');
    const [digest, ...others] = await digests();
    expect(others).toHaveLength(0);
    expect(digest.subject).toMatch(
      /^Weekly onboarding digest: \d+ tasks? overdue, 0 checks stuck$/,
    );
    expect(digest.text_body).toContain('New hires who have not begun');
    expect(digest.text_body).toContain(`${HIRE_NAME}, starting 8 Jan 2027`);
    expect(digest.text_body).toContain('Overdue by department');
    expect(digest.text_body).toContain('This digest is optional');
    await run('2027-01-11T15:00:00Z');
    await run('2027-01-12T09:30:00Z');
    expect(await digests()).toHaveLength(1);
  });

  it('reminds 3 days before, on the due day and every 3 days overdue, one mail a day', async () => {
    await run('2027-01-12T09:30:00Z'); // before-3 for the 15th
    await run('2027-01-12T14:00:00Z'); // same day: nothing more
    await run('2027-01-13T09:30:00Z'); // no step due
    // Due day: two instances' passes at once still queue one mail.
    await Promise.all([run('2027-01-15T09:30:00Z'), run('2027-01-15T09:30:00Z')]);
    await run('2027-01-18T09:30:00Z'); // 3 days overdue
    const mails = await mailTo(HIRE);
    expect(mails.map((m) => m.subject)).toEqual([
      expect.stringMatching(/^You have .* to complete$/),
      expect.stringMatching(/^Reminder: .* due soon/),
      expect.stringMatching(/^Reminder: .* due soon/),
      expect.stringMatching(/^Reminder: .* overdue/),
    ]);
    const nda = (await steps()).filter((s) => s.requirement_id === 'employee-nda');
    expect(nda.map((s) => `${s.track}:${s.step}`).sort()).toEqual([
      'notice:assigned',
      'reminder:before-3',
      'reminder:due',
      'reminder:overdue-3',
    ]);
  });

  it('escalates to the manager after 7 days overdue and to HR after 14, in one mail each', async () => {
    await run('2027-01-22T09:30:00Z');
    const [toManager] = (await mailTo(MANAGER)).filter((m) => m.kind !== 'tasks');
    expect(toManager.kind).toBe('manager_escalation');
    expect(toManager.subject).toBe('1 report overdue on security tasks');
    expect(toManager.text_body).toContain(HIRE_NAME);
    expect(toManager.text_body).toContain('Mutual Non-Disclosure Agreement');
    // A manager's mail names people only; HR's links to the person page.
    expect(toManager.text_body).not.toContain(`/people/${hireId}`);
    const hrAboutHer = async () =>
      (await mailTo(HR)).filter(
        (m) => m.kind === 'hr_escalation' && m.text_body.includes(HIRE_NAME),
      );
    expect(await hrAboutHer()).toHaveLength(0);

    await run('2027-01-29T09:30:00Z');
    const toHr = await hrAboutHer();
    expect(toHr).toHaveLength(1);
    expect(toHr[0].text_body).toContain(HIRE_NAME);
    expect(toHr[0].text_body).toContain(encodeURIComponent(`/people/${hireId}`));
    // Each assignment escalates once: later escalations carry only work newly that late.
    await run('2027-02-01T09:30:00Z');
    const escalations = (await mailTo(MANAGER)).filter((m) => m.kind === 'manager_escalation');
    expect(escalations.length).toBeGreaterThan(1);
    expect(escalations.slice(1).some((m) => m.text_body.includes('Non-Disclosure'))).toBe(false);
    expect(
      (await steps()).filter((s) => s.track === 'manager' && s.requirement_id === 'employee-nda'),
    ).toHaveLength(1);
  });

  it('delivers through the development mailbox and audits each send', async () => {
    const summary = await deliver();
    expect(summary.sent).toBeGreaterThan(4);
    const mails = await mailTo(HIRE);
    expect(mails.every((m) => m.status === 'sent')).toBe(true);
    const audited = await t.db.query<{ action: string; details: Record<string, unknown> }>(
      "select action, details from audit_event where action = 'notification.sent' and subject_id = $1",
      [hireId],
    );
    expect(audited.length).toBe(mails.length);
    // The audit log names ids, never an address.
    expect(JSON.stringify(audited)).not.toContain('@');
  });

  it('sends nothing about what she has signed', async () => {
    const page = await get(hire, '/documents/consent').expect(200);
    await request(t.server)
      .post('/documents/consent')
      .set('Cookie', hire)
      .type('form')
      .send({ _csrf: csrfTokenIn(page.text), agree: 'yes', next: '/me' })
      .expect(303);
    const sign = async (documentId: string) => {
      const doc = await get(hire, `/documents/${documentId}`).expect(200);
      const form = formPostingTo(doc.text, /\/signatures$/);
      await request(t.server)
        .post(form.action)
        .set('Cookie', hire)
        .type('form')
        .send({ ...form.hidden, intent: 'yes', typedName: HIRE_NAME })
        .expect(303);
    };
    await sign('nda');
    // The incident reporting policy is signed while reminders about it are still running: the
    // data protection policy, due the same day and left open, is the control.
    await sign('incident-reporting-policy');
    const stepsOf = async (requirementId: string) =>
      (await steps()).filter((s) => s.requirement_id === requirementId).length;
    const signed = await stepsOf('employee-incident-reporting-policy');
    const open = await stepsOf('employee-data-protection-policy');
    await run('2027-02-03T09:30:00Z');
    await run('2027-02-08T09:30:00Z');
    expect(await stepsOf('employee-incident-reporting-policy')).toBe(signed);
    expect(await stepsOf('employee-data-protection-policy')).toBeGreaterThan(open);
    const last = (await mailTo(HIRE)).at(-1)!.text_body;
    expect(last).toContain('Data Protection Policy');
    expect(last).not.toContain('Incident Reporting Policy');
    expect(last).not.toContain('Non-Disclosure Agreement');
  });

  it('asks her to sign a material new version again, saying what changed', async () => {
    policies.bump(
      'nda',
      '1.1.0',
      'material',
      'Adds customer data from the new analytics product to what counts as Confidential.',
      'Analytics data about customers is Confidential Information.',
    );
    await t.app.get(DocumentSyncService).sync();
    // Re-acknowledgement is due 30 days after publication (today, in real time).
    const weekday = new Date(Date.now() + 86_400_000);
    while ([0, 6].includes(weekday.getUTCDay())) weekday.setUTCDate(weekday.getUTCDate() + 1);
    await run(`${weekday.toISOString().slice(0, 10)}T10:00:00Z`);
    const latest = (await mailTo(HIRE)).at(-1)!;
    expect(latest.text_body).toContain('Mutual Non-Disclosure Agreement');
    expect(latest.text_body).toContain(
      'What changed in version 1.1.0: Adds customer data from the new analytics product to what counts as Confidential.',
    );
    expect(latest.html_body).toContain('What changed in version 1.1.0');
  });

  it('never reminds of waived work', async () => {
    const page = await get(hr, `/people/${hireId}`).expect(200);
    const [{ cycle }] = await t.db.query<{ cycle: number }>(
      "select cycle from requirement_assignment where person_id = $1 and requirement_id = 'employee-data-protection-policy'",
      [hireId],
    );
    await request(t.server)
      .post(`/onboarding/people/${hireId}/waivers`)
      .set('Cookie', hr)
      .type('form')
      .send({
        _csrf: csrfTokenIn(page.text),
        requirementId: 'employee-data-protection-policy',
        cycle,
        reason: 'Covered by the group policy she signed at her previous employer',
      })
      .expect(303);
    const stepsOf = async () =>
      (await steps()).filter((s) => s.requirement_id === 'employee-data-protection-policy').length;
    const before = await stepsOf();
    await run('2027-02-11T09:30:00Z');
    await run('2027-02-15T09:30:00Z');
    expect(await stepsOf()).toBe(before);
    expect((await mailTo(HIRE)).at(-1)!.text_body).not.toContain('Data Protection Policy');
  });

  it('writes nothing to people who have left or are on leave, and suppresses what was queued for them', async () => {
    await signIn(t.server, sp(), {
      email: 'lea.leaver@corp.example',
      attributes: { country: 'US', startDate: '2025-01-06' },
    });
    const [lea] = await t.db.query<{ id: string }>('select id from person where email = $1', [
      'lea.leaver@corp.example',
    ]);
    const hrPrincipal = { personId: 'hr-test' } as never;
    expect(await t.app.get(NotificationsService).remind(hrPrincipal, lea.id)).toEqual({
      queued: true,
    });
    await t.db.query("update person set status = 'on_leave' where id = $1", [lea.id]);
    const delivered = await deliver();
    // Hers, and any queued bundle whose every task has since been done or waived.
    expect(delivered.suppressed).toBeGreaterThanOrEqual(1);
    const [row] = await t.db.query<Row>(
      "select * from notification where recipient_email = 'lea.leaver@corp.example' and kind = 'manual_reminder'",
    );
    expect(row).toMatchObject({
      status: 'suppressed',
      status_reason: 'the person has left or is on leave',
    });
    const audited = await t.db.query(
      "select 1 from audit_event where action = 'notification.suppressed' and subject_id = $1",
      [lea.id],
    );
    expect(audited).toHaveLength(1);

    // A pass in New York's working hours writes nothing about her while away or once gone.
    const before = (await mailTo('lea.leaver@corp.example')).length;
    await run('2027-02-16T15:00:00Z');
    await t.db.query("update person set status = 'terminated' where id = $1", [lea.id]);
    await run('2027-02-19T15:00:00Z');
    expect((await mailTo('lea.leaver@corp.example')).length).toBe(before);
    expect(await t.app.get(NotificationsService).remind(hrPrincipal, lea.id)).toEqual({
      queued: false,
      reason: 'nothing',
    });
  });

  it("shows an auditor the follow-up on the person's evidence page", async () => {
    const auditor = [
      await signIn(t.server, sp(), {
        email: 'aud@corp.example',
        groups: ['attest-auditors'],
        attributes: { country: 'GB', startDate: '2025-01-06' },
      }),
    ];
    const page = await get(auditor, `/auditors/people/${hireId}`).expect(200);
    expect(page.text).toContain('Reminders and escalations');
    const rows = page.text.match(/data-testid="evidence-follow-up"/g) ?? [];
    const [{ count }] = await t.db.query<{ count: string }>(
      `select count(*) as count from notification n where n.recipient_person_id = $1
          or n.about_person_id = $1
          or n.id in (select notification_id from notification_step where person_id = $1)`,
      [hireId],
    );
    expect(rows.length).toBe(Number(count));
    expect(rows.length).toBeGreaterThan((await mailTo(HIRE)).length);
    expect(page.text).toContain('Mo Manager (manager)');
    expect(page.text).toContain('Escalation to HR');
    // HR's own evidence lists her own mail (and escalations that name her), not the digests she
    // received.
    const [{ id: hanaId }] = await t.db.query<{ id: string }>(
      'select id from person where email = $1',
      [HR],
    );
    const hers = await get(auditor, `/auditors/people/${hanaId}`).expect(200);
    expect(hers.text).toContain('Tasks and reminders');
    expect(hers.text).not.toContain('Weekly HR digest');
  });

  it('shows HR the outbox with filters and a CSV, and the development mailbox', async () => {
    const list = await get(hr, '/notifications?status=sent').expect(200);
    expect(list.text).toContain('Escalation to manager');
    expect(list.text).toContain(MANAGER);
    const csv = await get(hr, '/notifications?format=csv&kind=manager_escalation').expect(200);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toMatch(/^id,created_at,sent_at,kind,status/);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.slice(1).every((l) => l.includes(',manager_escalation,'))).toBe(true);

    expect(list.text).toContain('<a href="/dev/mailbox">development mailbox</a>');
    const mailbox = await get(hr, '/dev/mailbox').expect(200);
    const [, id] = /href="\/dev\/mailbox\/([0-9a-f-]{36})"/.exec(mailbox.text)!;
    const message = await get(hr, `/dev/mailbox/${id}`).expect(200);
    expect(message.text).toContain('class="mail-text"');
    const html = await get(hr, `/dev/mailbox/${id}/html`).expect(200);
    expect(html.headers['content-security-policy']).toContain("default-src 'none'");
    expect(html.headers['content-security-policy']).toContain('sandbox');
    expect(html.headers['content-security-policy']).not.toMatch(/allow-scripts|allow-same-origin/);

    // The overdue list says when each task was last reminded and escalated.
    const overdue = await get(hr, '/onboarding/overdue').expect(200);
    expect(overdue.text).toContain('<th scope="col">Last reminded</th>');
    expect(overdue.text).toMatch(/<td>\d{1,2} [A-Z][a-z]{2} 20\d\d, \d\d:\d\d UTC<\/td>/);

    // Employees see neither.
    await get(employee, '/notifications').expect(403);
    await get(employee, '/dev/mailbox').expect(403);
  });

  it('lets HR send a reminder now from the person page, once an hour, audited', async () => {
    const page = await get(hr, `/people/${hireId}`).expect(200);
    expect(page.text).toContain('Last reminded');
    const form = formPostingTo(page.text, `/people/${hireId}/reminders`);
    const send = () =>
      request(t.server)
        .post(form.action)
        .set('Cookie', hr)
        .type('form')
        .send({ ...form.hidden });
    const first = await send().expect(303);
    expect(first.headers.location).toBe(`/people/${hireId}?reminder=sent#reminders`);
    const second = await send().expect(303);
    expect(second.headers.location).toBe(`/people/${hireId}?reminder=recent#reminders`);
    const refused = await get(hr, second.headers.location as string).expect(200);
    expect(refused.text).toContain('There is a problem');
    expect(refused.text).toContain('one went to them within the last hour');

    const manual = (await mailTo(HIRE)).filter((m) => m.kind === 'manual_reminder');
    expect(manual).toHaveLength(1);
    expect(manual[0].text_body).toContain('HR at');
    const [hrPerson] = await t.db.query<{ id: string }>('select id from person where email = $1', [
      HR,
    ]);
    const requested = await t.db.query(
      "select 1 from audit_event where action = 'notification.requested' and actor_id = $1 and subject_id = $2",
      [hrPerson.id, hireId],
    );
    expect(requested).toHaveLength(1);

    // Without the CSRF token, and for an employee, nothing is queued.
    await request(t.server).post(form.action).set('Cookie', hr).type('form').send({}).expect(403);
    await request(t.server)
      .post(form.action)
      .set('Cookie', employee)
      .type('form')
      .send({ _csrf: csrfTokenIn((await get(employee, '/me')).text) })
      .expect(403);
    expect((await mailTo(HIRE)).filter((m) => m.kind === 'manual_reminder')).toHaveLength(1);
  });
});
