// Background checks over HTTP, signed in through the real SAML flow: who sees what, the
// encrypted columns at rest, and what a tampered one does to the page.
import request from 'supertest';
import { DataCipher } from '../../src/common/crypto/data-cipher';
import { type Persona, PERSONAS, type SignedIn, signInAs } from '../helpers/role-sessions';
import { createTestApp, TEST_SECRETS, type TestApp } from '../helpers/test-app';
import { testIdpEnv } from '../helpers/test-idp';

const NOTES = 'Dismissed 2019 charge; no adverse action recommended';
const REPORT = 'RPT-884211-confidential';

describe('background check pages', () => {
  let t: TestApp;
  const who = new Map<string, SignedIn>();
  let checkId: string;

  const get = (as: string, url: string) =>
    request(t.server).get(url).set('Cookie', who.get(as)!.cookies).set('Accept', 'text/html');
  const post = (as: string, url: string, form: Record<string, string>) =>
    request(t.server)
      .post(url)
      .set('Cookie', who.get(as)!.cookies)
      .set('Accept', 'text/html')
      .type('form')
      .send({ _csrf: who.get(as)!.csrfToken!, ...form });

  beforeAll(async () => {
    t = await createTestApp({ env: await testIdpEnv() });
    const people: Persona[] = [
      ...PERSONAS.filter((p) => ['employee', 'hr', 'auditor', 'admin-with-totp'].includes(p.name)),
      {
        name: 'other-employee',
        signIn: { email: 'olive.other@corp.example', groups: ['all-staff'], stepUp: false },
      },
    ];
    for (const persona of people) who.set(persona.name, await signInAs(t, persona));
  });

  afterAll(async () => {
    await t?.close();
  });

  it('lets HR create a check for an employee, with notes encrypted at rest', async () => {
    const employee = who.get('employee')!.personId!;
    const form = await get('hr', `/people/${employee}/background-checks/new`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('adjudicationNotes');

    const res = await post('hr', '/background-checks', {
      personId: employee,
      type: 'criminal_record',
      jurisdiction: 'us-ca',
      status: 'consider',
      startedAt: '2026-06-01',
      completedAt: '2026-06-10',
      adjudicationNotes: NOTES,
      reportReference: REPORT,
    });

    expect(res.status).toBe(303);
    checkId = /\/background-checks\/([0-9a-f-]{36})$/.exec(res.headers.location as string)![1];
    const [row] = await t.db.query<Record<string, string>>(
      'select * from background_check where id = $1',
      [checkId],
    );
    expect(row.jurisdiction).toBe('US-CA');
    for (const [column, plaintext, field] of [
      ['adjudication_notes_ciphertext', NOTES, 'adjudicationNotes'],
      ['report_reference_ciphertext', REPORT, 'reportReference'],
    ]) {
      expect(row[column]).toMatch(/^v1\.[0-9a-f]{16}\./);
      expect(row[column]).not.toContain(plaintext);
      expect(Buffer.from(row[column].split('.')[4], 'base64url').toString()).not.toContain('2019');
      const cipher = new DataCipher({
        current: Buffer.from(TEST_SECRETS.DATA_ENCRYPTION_KEY, 'base64'),
      });
      expect(cipher.decrypt(row[column], `bgcheck:${checkId}:${field}`)).toBe(plaintext);
    }
  });

  it('shows HR everything and audits the view with actor and subject', async () => {
    const res = await get('hr', `/background-checks/${checkId}`).expect(200);
    expect(res.text).toContain(NOTES);
    expect(res.text).toContain(REPORT);
    const events = await t.db.query<{ actor_id: string; subject_id: string }>(
      "select actor_id, subject_id from audit_event where action = 'backgroundCheck.details_viewed'",
    );
    expect(events).toContainEqual({ actor_id: who.get('hr')!.personId, subject_id: checkId });
  });

  it('shows an admin who verified TOTP everything too', async () => {
    const res = await get('admin-with-totp', `/background-checks/${checkId}`).expect(200);
    expect(res.text).toContain(NOTES);
  });

  it('shows an auditor type, status, jurisdiction and dates, never notes or report', async () => {
    const list = await get('auditor', '/background-checks?status=consider').expect(200);
    expect(list.text).toContain(`/background-checks/${checkId}`);
    const res = await get('auditor', `/background-checks/${checkId}`).expect(200);
    expect(res.text).toContain('Needs review');
    expect(res.text).toContain('US-CA');
    expect(res.text).toContain('2026-06-10');
    expect(res.text).not.toContain(NOTES);
    expect(res.text).not.toContain(REPORT);
    expect(res.text).not.toContain('Adjudication notes');
    await get('auditor', `/background-checks/${checkId}/edit`).expect(403);
  });

  it('shows the employee only the type and status of their own check', async () => {
    const mine = await get('employee', '/me/background-checks').expect(200);
    expect(mine.text).toContain('Criminal record');
    expect(mine.text).toContain('Needs review');
    const res = await get('employee', `/background-checks/${checkId}`).expect(200);
    expect(res.text).toContain('Needs review');
    for (const hidden of [NOTES, REPORT, 'US-CA', '2026-06-10', 'History']) {
      expect(res.text).not.toContain(hidden);
    }
    await get('employee', '/background-checks').expect(403);
  });

  it('answers another employee 404, exactly as for an id that does not exist', async () => {
    const theirs = await get('other-employee', `/background-checks/${checkId}`).expect(404);
    const nothing = await get(
      'other-employee',
      '/background-checks/00000000-0000-4000-8000-000000000000',
    ).expect(404);
    const strip = (html: string) => html.replace(/<code>[^<]*<\/code>/, '');
    expect(strip(theirs.text)).toBe(strip(nothing.text));
    const mine = await get('other-employee', '/me/background-checks').expect(200);
    expect(mine.text).toContain('You have no background checks.');
  });

  it('refuses a waiver without a reason, listing the problem, then records the change', async () => {
    const refused = await post('hr', `/background-checks/${checkId}`, {
      jurisdiction: 'US-CA',
      status: 'waived',
      startedAt: '2026-06-10',
      completedAt: '2026-06-01',
    });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('waiverReason');
    expect(refused.text).toContain('The completed date must not be before the started date.');
    expect(refused.text).toContain('id="check-waiver-reason-error"');

    const edit = await get('hr', `/background-checks/${checkId}/edit`).expect(200);
    expect(edit.text).toContain(NOTES);
    const res = await post('hr', `/background-checks/${checkId}`, {
      jurisdiction: 'US-CA',
      status: 'waived',
      waiverReason: 'Role changed to one without a screening requirement',
      adjudicationNotes: NOTES,
      reportReference: REPORT,
    });
    expect(res.status).toBe(303);
    const history = await t.db.query<{ from_status: string; to_status: string; source: string }>(
      'select from_status, to_status, source from background_check_event where check_id = $1 order by at',
      [checkId],
    );
    expect(history.slice(-1)).toEqual([
      { from_status: 'consider', to_status: 'waived', source: 'hr' },
    ]);
    const audited = await t.db.query(
      "select 1 from audit_event where action = 'backgroundCheck.status_changed' and subject_id = $1",
      [checkId],
    );
    expect(audited).toHaveLength(1);
  });

  it('does not let HR open or change their own check', async () => {
    const hr = who.get('hr')!.personId!;
    await get('hr', `/people/${hr}/background-checks/new`).expect(403);
  });

  it('fails loudly, with no plaintext and no garbage, when a stored value was tampered with', async () => {
    const [{ token }] = await t.db.query<{ token: string }>(
      'select adjudication_notes_ciphertext as token from background_check where id = $1',
      [checkId],
    );
    const parts = token.split('.');
    const body = Buffer.from(parts[4], 'base64url');
    body[0] ^= 0x01;
    parts[4] = body.toString('base64url');
    await t.db.query(
      'update background_check set adjudication_notes_ciphertext = $1 where id = $2',
      [parts.join('.'), checkId],
    );
    try {
      const res = await get('hr', `/background-checks/${checkId}`);
      expect(res.status).toBe(500);
      expect(res.text).toContain('Something went wrong on our side');
      expect(res.text).not.toContain(REPORT);
      expect(res.text).not.toContain('Dismissed');
      expect(t.logs.text).toContain('CiphertextTampered');
    } finally {
      await t.db.query(
        'update background_check set adjudication_notes_ciphertext = $1 where id = $2',
        [token, checkId],
      );
    }
  });
});
