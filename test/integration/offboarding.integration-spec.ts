import request from 'supertest';
import { calendarDayOf } from '../../src/common/calendar-day';
import { LeavingService } from '../../src/offboarding/leaving.service';
import { cookieNamed, csrfTokenIn, formPostingTo } from '../helpers/html-forms';
import { expectIndependentToolsAccept, pdfText } from '../helpers/pdf-tools';
import { csrfTokenOf } from '../helpers/role-sessions';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { signIn, testIdpEnv } from '../helpers/test-idp';

const HR = { email: 'hana.hr@corp.example', displayName: 'Hana Hume', groups: ['attest-hr'] };
const MANAGER = { email: 'mo.manager@corp.example', displayName: 'Mo Manager' };
const LEAVER = { email: 'lee.leaver@corp.example', displayName: 'Lee Leaver' };
const FUTURE = { email: 'fay.future@corp.example', displayName: 'Fay Future' };
const AUDITOR = {
  email: 'aude.auditor@corp.example',
  displayName: 'Aude Auditor',
  groups: ['attest-auditors'],
};

const LEAVING_RULES = [
  'leaver-exit-interview',
  'leaver-post-employment-obligations',
  'leaver-return-of-assets',
];

/**
 * Offboarding on the real database over real HTTP: HR terminates a person, their access ends
 * and their checklist starts in one go; the leaver signs through a one-time link; HR and the
 * manager close the tasks; auditors see the outcome.
 */
describe('Offboarding (integration)', () => {
  let t: TestApp;
  let hr: string[];
  let manager: string[];
  let leaver: string[];
  let leaverId: string;
  let hrId: string;
  let linkSecret: string;
  let linkCookie: string;
  const today = calendarDayOf(new Date());
  const sp = () => ({ acsUrl: t.config.saml.acsUrl, spEntityId: t.config.saml.spEntityId });
  const idOf = async (email: string) =>
    (await t.db.query<{ id: string }>('select id from person where email = $1', [email]))[0].id;
  const html = (path: string, cookies: string[]) =>
    request(t.server).get(path).set('Cookie', cookies).set('Accept', 'text/html');
  const post = (path: string, cookies: string[], form: Record<string, string>) =>
    request(t.server)
      .post(path)
      .set('Cookie', cookies)
      .set('Accept', 'text/html')
      .set('User-Agent', 'OffboardingSpec/1.0')
      .type('form')
      .send(form);

  /** HR's edit form, sent back with these HR fields. */
  async function editAs(cookies: string[], personId: string, fields: Record<string, string>) {
    const form = await html(`/people/${personId}/edit`, cookies).expect(200);
    return post(`/people/${personId}`, cookies, {
      _csrf: csrfTokenIn(form.text),
      full_name: fields.full_name,
      employee_number: fields.employee_number,
      department: 'Engineering',
      job_title: 'Engineer',
      manager_email: fields.manager_email ?? '',
      employment_type: 'employee',
      country: 'GB',
      region: '',
      start_date: '2025-01-06',
      end_date: fields.end_date ?? '',
      status: fields.status ?? 'active',
    });
  }

  beforeAll(async () => {
    t = await createTestApp({ env: await testIdpEnv() });
    hr = [await signIn(t.server, sp(), HR)];
    manager = [await signIn(t.server, sp(), MANAGER)];
    leaver = [await signIn(t.server, sp(), LEAVER)];
    leaverId = await idOf(LEAVER.email);
    hrId = await idOf(HR.email);
    // The leaver had opened onboarding work: it must be kept, closed, when they leave.
    await html('/me', leaver).expect(200);
    const res = await editAs(hr, leaverId, {
      full_name: LEAVER.displayName,
      employee_number: 'E-LEE',
      manager_email: MANAGER.email,
      end_date: today,
      status: 'terminated',
    });
    if (res.status !== 303) {
      throw new Error(
        `the edit answered ${res.status}: ${res.text.match(/form-error[^<]*<[^<]*/g)?.join(' ')}`,
      );
    }
  });

  afterAll(async () => {
    await t?.close();
  });

  it('ends every session, sets accessEndedAt and records person.left, together', async () => {
    await html('/me', leaver).expect(302);
    const sessions = await t.db.query<{ ended_reason: string | null }>(
      'select ended_reason from session where person_id = $1',
      [leaverId],
    );
    expect(sessions.map((s) => s.ended_reason)).toEqual(['deactivated']);
    const [person] = await t.db.query<{ access_ended_at: Date | null }>(
      'select access_ended_at from person where id = $1',
      [leaverId],
    );
    expect(person.access_ended_at).not.toBeNull();
    const events = await t.db.query<{ action: string; details: Record<string, unknown> }>(
      `select action, details from audit_event where subject_id = $1
        and action in ('person.left', 'session.ended_all') order by seq`,
      [leaverId],
    );
    expect(events.map((e) => e.action)).toEqual(['session.ended_all', 'person.left']);
    expect(events[1].details).toMatchObject({ source: 'edit', sessionsEnded: 1 });
  });

  it('keeps pending onboarding as not required after leaving, and starts the checklist', async () => {
    const rows = await t.db.query<{ requirement_id: string; status: string }>(
      'select requirement_id, status from requirement_assignment where person_id = $1 order by requirement_id',
      [leaverId],
    );
    const joining = rows.filter((r) => !LEAVING_RULES.includes(r.requirement_id));
    expect(joining.length).toBeGreaterThan(5);
    expect(new Set(joining.map((r) => r.status))).toEqual(new Set(['not_required']));
    expect(rows.filter((r) => LEAVING_RULES.includes(r.requirement_id))).toEqual(
      LEAVING_RULES.map((id) => ({ requirement_id: id, status: 'not_started' })),
    );
    const page = await html(`/people/${leaverId}`, hr).expect(200);
    expect(page.text).toContain('data-testid="offboarding"');
    expect(page.text).toContain('0 of 3 done');
    expect(page.text).toContain('Not required after leaving');
  });

  it('starts the checklist of a future leaver without ending their access', async () => {
    const future = [await signIn(t.server, sp(), FUTURE)];
    const id = await idOf(FUTURE.email);
    const lastDay = calendarDayOf(new Date(Date.now() + 30 * 86_400_000));
    const edited = await editAs(hr, id, {
      full_name: FUTURE.displayName,
      employee_number: 'E-FAY',
      end_date: lastDay,
    });
    expect(edited.status).toBe(303);
    await html('/me', future).expect(200);
    const rows = await t.db.query<{ requirement_id: string; due_date: string }>(
      `select requirement_id, to_char(due_date, 'YYYY-MM-DD') as due_date
         from requirement_assignment where person_id = $1 and requirement_id like 'leaver-%'
        order by requirement_id`,
      [id],
    );
    expect(rows.map((r) => r.requirement_id)).toEqual(LEAVING_RULES);
    const [person] = await t.db.query<{ access_ended_at: Date | null }>(
      'select access_ended_at from person where id = $1',
      [id],
    );
    expect(person.access_ended_at).toBeNull();
    // They see the acknowledgement on their own task list, not HR's tasks.
    const home = await html('/me', future).expect(200);
    expect(home.text).toContain('/documents/post-employment-obligations');
    expect(home.text).not.toContain('Return of assets');
  });

  it('ends the access of someone whose last day passed without any edit, once', async () => {
    const pat = [await signIn(t.server, sp(), { email: 'pat@corp.example', displayName: 'Pat' })];
    const id = await idOf('pat@corp.example');
    await t.db.query(`update person set end_date = current_date - 1 where id = $1`, [id]);
    const leaving = t.app.get(LeavingService);
    expect(await leaving.leavePastEndDate('system')).toEqual([id]);
    expect(await leaving.leavePastEndDate('system')).toEqual([]);
    await html('/me', pat).expect(302);
    const [person] = await t.db.query<{ access_ended_at: Date | null }>(
      'select access_ended_at from person where id = $1',
      [id],
    );
    expect(person.access_ended_at).not.toBeNull();
  });

  it('refuses HR a signing link for themselves', async () => {
    const csrf = await csrfTokenOf(t, hr);
    await post(`/people/${hrId}/offboarding/signing-links`, hr, { _csrf: csrf }).expect(404);
  });

  it('creates a one-time link, shown once, of which only the SHA-256 is stored', async () => {
    const page = await html(`/people/${leaverId}`, hr).expect(200);
    const form = formPostingTo(page.text, `/people/${leaverId}/offboarding/signing-links`);
    const created = await post(form.action, hr, form.hidden).expect(201);
    linkSecret = /\/leaving\/links\/([A-Za-z0-9_-]{43})/.exec(created.text)![1];
    const stored = await t.db.query<{ token_hash: string; created_by: string }>(
      'select token_hash, created_by from signing_link where person_id = $1',
      [leaverId],
    );
    expect(stored).toHaveLength(1);
    expect(stored[0].created_by).toBe(hrId);
    expect(stored[0].token_hash).not.toContain(linkSecret);
    expect(JSON.stringify(stored)).not.toContain(linkSecret);
  });

  it('opens by a POST only, into a session that can do nothing but sign', async () => {
    // A mail scanner's GET opens nothing.
    const landing = await html(`/leaving/links/${linkSecret}`, []).expect(200);
    expect(landing.text).toContain('data-testid="open-signing-link"');
    const opened = await post(`/leaving/links/${linkSecret}`, [], {}).expect(303);
    expect(opened.headers.location).toBe('/leaving');
    linkCookie = cookieNamed(opened, 'attest_leaving')!;
    const home = await html('/leaving', [linkCookie]).expect(200);
    expect(home.text).toContain('/leaving/documents/post-employment-obligations');
    // Nothing else: not HR's pages, not the person's own, not another document.
    await html('/people', [linkCookie]).expect(302);
    await html(`/people/${leaverId}`, [linkCookie]).expect(302);
    await html('/me', [linkCookie]).expect(302);
    await html('/documents/nda', [linkCookie]).expect(302);
    await html('/leaving/documents/nda', [linkCookie]).expect(404);
    await request(t.server).get('/api/v1/people').set('Cookie', [linkCookie]).expect(401);
    // Its forms carry the link session's CSRF token like any other: a forged post is refused.
    for (const body of [{}, { _csrf: 'not-the-session-token' }] as Record<string, string>[]) {
      const forged = await post('/leaving/consent', [linkCookie], { ...body, agree: 'yes' });
      expect(forged.status).toBe(403);
      expect(forged.text).toContain('did not come from Attest');
    }
  });

  it('refuses, in words, someone signed in with their own session on a link-only page', async () => {
    const res = await html('/leaving', hr).expect(403);
    expect(res.text).toContain('opens only from the one-time signing link');
    // The link's own pages stay open to them.
    await html('/leaving/done', hr).expect(200);
  });

  it('signs the acknowledgement into a sealed PDF that names the link and its creator', async () => {
    let doc = await html('/leaving/documents/post-employment-obligations', [linkCookie]).expect(
      200,
    );
    if (doc.text.includes('/leaving/consent')) {
      const consent = await html('/leaving/consent', [linkCookie]).expect(200);
      await post('/leaving/consent', [linkCookie], {
        _csrf: csrfTokenIn(consent.text),
        agree: 'yes',
      }).expect(303);
      doc = await html('/leaving/documents/post-employment-obligations', [linkCookie]).expect(200);
    }
    const form = formPostingTo(doc.text, /^\/leaving\/documents\/.*\/signatures$/);
    const signed = await post(form.action, [linkCookie], {
      ...form.hidden,
      intent: 'yes',
      typedName: LEAVER.displayName,
    }).expect(303);
    expect(signed.headers.location).toBe('/leaving/done');

    const [signature] = await t.db.query<{
      id: string;
      idp_entity_id: string;
      name_id: string;
      mfa: boolean;
    }>(
      `select id, idp_entity_id, name_id, mfa from signature
        where person_id = $1 and document_id = 'post-employment-obligations'`,
      [leaverId],
    );
    expect(signature.idp_entity_id).toBe('urn:attest:one-time-signing-link');
    expect(signature.name_id).toContain(`created by HR ${HR.displayName}`);
    expect(signature.mfa).toBe(false);
    const [attestation] = await t.db.query<{ pdf: Uint8Array }>(
      'select pdf from attestation where id = $1',
      [signature.id],
    );
    const pdf = Buffer.from(attestation.pdf);
    expectIndependentToolsAccept(pdf);
    const text = pdfText(pdf);
    expect(text).toContain('One-time signing link (no single sign-on)');
    expect(text).toContain(HR.displayName);
    const [link] = await t.db.query<{ used_at: Date | null; signature_id: string }>(
      'select used_at, signature_id from signing_link where person_id = $1',
      [leaverId],
    );
    expect(link.used_at).not.toBeNull();
    expect(link.signature_id).toBe(signature.id);
  });

  it('cannot be used again once a signature was made through it', async () => {
    await html('/leaving', [linkCookie]).expect(302);
    await html('/leaving/documents/post-employment-obligations', [linkCookie]).expect(302);
    const landing = await html(`/leaving/links/${linkSecret}`, []).expect(404);
    expect(landing.text).toContain('data-testid="signing-link-invalid"');
    await post(`/leaving/links/${linkSecret}`, [], {}).expect(404);
    const opens = await t.db.query<{ action: string }>(
      `select action from audit_event where action like 'signingLink.%' and subject_id = $1 order by seq`,
      [leaverId],
    );
    expect(opens.map((e) => e.action)).toEqual([
      'signingLink.created',
      'signingLink.opened',
      'signingLink.used',
    ]);
  });

  it('stops opening once HR revokes it', async () => {
    const futureId = await idOf(FUTURE.email);
    const page = await html(`/people/${futureId}`, hr).expect(200);
    const form = formPostingTo(page.text, `/people/${futureId}/offboarding/signing-links`);
    const created = await post(form.action, hr, form.hidden).expect(201);
    const secret = /\/leaving\/links\/([A-Za-z0-9_-]{43})/.exec(created.text)![1];
    const listed = await html(`/people/${futureId}`, hr).expect(200);
    const revoke = formPostingTo(listed.text, /\/signing-links\/[0-9a-f-]{36}\/revoke$/);
    await post(revoke.action, hr, revoke.hidden).expect(303);
    await html(`/leaving/links/${secret}`, []).expect(404);
    await post(`/leaving/links/${secret}`, [], {}).expect(404);
    const [event] = await t.db.query<{ action: string }>(
      `select action from audit_event where action = 'signingLink.revoked' and subject_id = $1`,
      [futureId],
    );
    expect(event).toBeDefined();
  });

  it('lets HR and the manager mark their tasks done, append-only, with who and when', async () => {
    const page = await html(`/people/${leaverId}`, hr).expect(200);
    const assets = formPostingTo(
      page.text,
      `/people/${leaverId}/offboarding/tasks/leaver-return-of-assets`,
    );
    await post(assets.action, hr, {
      ...assets.hidden,
      note: 'Laptop LT-0042 and badge back',
    }).expect(303);

    // The manager is an employee: no person page, only the tasks marked for managers, reached
    // from their home page.
    await html(`/people/${leaverId}`, manager).expect(403);
    const home = await html('/me', manager).expect(200);
    expect(home.text).toContain(`href="/offboarding/people/${leaverId}"`);
    expect(home.text).toContain('1 open');
    const mine = await html(`/offboarding/people/${leaverId}`, manager).expect(200);
    expect(mine.text).toMatch(/<h1[^>]*>.*is leaving<\/h1>/s);
    expect(mine.text).not.toContain('offboarding/tasks/leaver-return-of-assets');
    const interview = formPostingTo(
      mine.text,
      `/people/${leaverId}/offboarding/tasks/leaver-exit-interview`,
    );
    await post(interview.action, manager, { ...interview.hidden, note: '' }).expect(303);

    const after = await html(`/people/${leaverId}`, hr).expect(200);
    expect(after.text).toContain('3 of 3 done');
    expect(after.text).toContain('Laptop LT-0042 and badge back');
    expect(after.text).toContain(`${MANAGER.displayName} (Manager)`);
    const records = await t.db.query<{ subject: string; done_as: string }>(
      'select subject, done_as from offboarding_task_record where person_id = $1 order by subject',
      [leaverId],
    );
    expect(records).toEqual([
      { subject: 'exit-interview', done_as: 'manager' },
      { subject: 'return-of-assets', done_as: 'hr' },
    ]);
    await expect(t.db.query('update offboarding_task_record set note = null')).rejects.toThrow(
      /append-only/,
    );
  });

  it('refuses a manager a task done by HR, and anyone a task already done', async () => {
    const csrf = await csrfTokenOf(t, manager);
    await post(`/people/${leaverId}/offboarding/tasks/leaver-return-of-assets`, manager, {
      _csrf: csrf,
    }).expect(404);
    const hrCsrf = await csrfTokenOf(t, hr);
    await post(`/people/${leaverId}/offboarding/tasks/leaver-exit-interview`, hr, {
      _csrf: hrCsrf,
    }).expect(404);
  });

  it('shows auditors when access ended and the checklist outcome in the terminations population', async () => {
    const auditor = [await signIn(t.server, sp(), AUDITOR)];
    const csv = await request(t.server)
      .get(`/auditors/populations/terminations.csv?from=${today}&to=${today}`)
      .set('Cookie', auditor)
      .expect(200);
    const [header, ...lines] = csv.text.trim().split('\r\n');
    expect(header.split(',').slice(-3)).toEqual([
      'access_ended_at',
      'deprovisioned_at',
      'offboarding_checklist',
    ]);
    const row = lines.find((l) => l.startsWith(`${leaverId},`));
    expect(row).toMatch(/,\d{4}-\d{2}-\d{2}T[\d:.]+Z,,3 of 3 done$/);
    const page = await html(`/auditors/populations?from=${today}&to=${today}`, auditor).expect(200);
    expect(page.text).toContain('data-testid="offboarding-outcome">3 of 3 done');
  });
});
