import request from 'supertest';
import { formsIn, unescapeHtml } from '../helpers/html-forms';
import { PERSONAS, signInAs, type SignedIn } from '../helpers/role-sessions';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { signIn, testIdpEnv } from '../helpers/test-idp';

const persona = (name: string) => PERSONAS.find((p) => p.name === name)!;

/**
 * The legal hold on the person page: HR and admins place and lift it with a reason, the page
 * shows it to everyone who sees the person, and each step is audited. A refused form comes back
 * with the problem and what was typed.
 */
describe('legal hold on the person page', () => {
  let t: TestApp;
  let hr: SignedIn;
  let admin: SignedIn;
  let auditor: SignedIn;
  let employee: SignedIn;
  let subjectId: string;

  beforeAll(async () => {
    t = await createTestApp({ env: await testIdpEnv() });
    const sp = { acsUrl: t.config.saml.acsUrl, spEntityId: t.config.saml.spEntityId };
    await signIn(t.server, sp, { email: 'leaver@corp.example', displayName: 'Lee Leaver' });
    [{ id: subjectId }] = await t.db.query<{ id: string }>(
      "select id from person where email = 'leaver@corp.example'",
    );
    hr = await signInAs(t, persona('hr'));
    admin = await signInAs(t, persona('admin-with-totp'));
    auditor = await signInAs(t, persona('auditor'));
    employee = await signInAs(t, persona('employee'));
  });

  afterAll(async () => {
    await t?.close();
  });

  const page = (who: SignedIn, id = subjectId) =>
    request(t.server).get(`/people/${id}`).set('Cookie', who.cookies).set('Accept', 'text/html');
  const post = (who: SignedIn, path: string, reason: string, id = subjectId) =>
    request(t.server)
      .post(`/people/${id}/legal-hold${path}`)
      .set('Cookie', who.cookies)
      .set('Accept', 'text/html')
      .type('form')
      .send({ _csrf: who.csrfToken, reason });
  const holds = () =>
    t.db.query<{ reason: string; lifted_at: Date | null; lift_reason: string | null }>(
      'select reason, lifted_at, lift_reason from legal_hold where person_id = $1 order by placed_at',
      [subjectId],
    );
  const audited = () =>
    t.db.query<{ action: string; actor_id: string; details: Record<string, unknown> }>(
      `select action, actor_id, details from audit_event
        where action like 'retention.hold_%' and subject_id = $1 order by seq`,
      [subjectId],
    );

  it('offers HR the form, CSRF-protected, and says no hold is in force', async () => {
    const res = await page(hr).expect(200);
    expect(res.text).toContain('Not under a legal hold');
    const form = formsIn(res.text).find((f) => f.action === `/people/${subjectId}/legal-hold`);
    expect(form?.method).toBe('post');
    expect(form?.hidden._csrf).toBe(hr.csrfToken);
  });

  it('brings the form back when the reason is missing, and places nothing', async () => {
    const res = await post(hr, '', '   ').expect(422);
    const html = unescapeHtml(res.text);
    expect(html).toMatch(/There is a problem[\s\S]*href="#legal-hold-reason">Give the reason/);
    expect(html).toContain('id="legal-hold-reason-error">Give the reason for the legal hold');
    expect(await holds()).toEqual([]);
  });

  it('keeps a reason that is too long, with the problem beside it', async () => {
    const long = `Claim ${'x'.repeat(1000)}`;
    const res = await post(hr, '', long).expect(422);
    const html = unescapeHtml(res.text);
    expect(html).toContain('Shorten the reason to at most 1000 characters.');
    expect(html).toContain(`>${long}</textarea>`);
    expect(await holds()).toEqual([]);
  });

  it('refuses auditors and employees, and a form without the CSRF token', async () => {
    await post(auditor, '', 'Litigation').expect(403);
    await post(employee, '', 'Litigation').expect(403);
    await request(t.server)
      .post(`/people/${subjectId}/legal-hold`)
      .set('Cookie', hr.cookies)
      .type('form')
      .send({ reason: 'Litigation' })
      .expect(403);
    expect(await holds()).toEqual([]);
  });

  it('refuses HR placing a hold on themselves', async () => {
    await post(hr, '', 'My own case', hr.personId).expect(403);
  });

  it('places a hold, audited with its reason, and shows it on the page', async () => {
    const res = await post(hr, '', '  Employment tribunal claim 2203/2033  ').expect(303);
    expect(res.headers.location).toBe(`/people/${subjectId}#legal-hold`);
    expect(await holds()).toEqual([
      { reason: 'Employment tribunal claim 2203/2033', lifted_at: null, lift_reason: null },
    ]);
    expect(await audited()).toEqual([
      {
        action: 'retention.hold_placed',
        actor_id: hr.personId,
        details: { holdId: expect.any(String), reason: 'Employment tribunal claim 2203/2033' },
      },
    ]);
    for (const who of [hr, auditor]) {
      const shown = unescapeHtml((await page(who).expect(200)).text);
      expect(shown).toMatch(/Under a legal hold<\/strong> since/);
      expect(shown).toContain('Reason: Employment tribunal claim 2203/2033');
    }
    // The auditor sees the hold but has no form.
    const forAuditor = (await page(auditor)).text;
    expect(formsIn(forAuditor).some((f) => f.action.includes('legal-hold'))).toBe(false);
  });

  it('refuses a second hold while one is in force', async () => {
    const res = await post(admin, '', 'Another claim').expect(422);
    expect(unescapeHtml(res.text)).toContain('already under a legal hold');
    expect(await holds()).toHaveLength(1);
  });

  it('lets an admin lift it with a reason, and the page then shows none', async () => {
    await post(admin, '/lift', '').expect(422);
    await post(admin, '/lift', 'Claim settled on 1 March 2034').expect(303);
    expect(await holds()).toEqual([
      {
        reason: 'Employment tribunal claim 2203/2033',
        lifted_at: expect.any(Date),
        lift_reason: 'Claim settled on 1 March 2034',
      },
    ]);
    expect((await audited()).map((e) => [e.action, e.actor_id, e.details.reason])).toEqual([
      ['retention.hold_placed', hr.personId, 'Employment tribunal claim 2203/2033'],
      ['retention.hold_lifted', admin.personId, 'Claim settled on 1 March 2034'],
    ]);
    expect((await page(hr)).text).toContain('Not under a legal hold');
    // Nothing left to lift.
    const again = await post(hr, '/lift', 'Twice').expect(422);
    expect(unescapeHtml(again.text)).toContain('not under a legal hold: there is nothing to lift');
  });
});
