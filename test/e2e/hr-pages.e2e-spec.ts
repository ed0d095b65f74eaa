// HR's pages as HR uses them: headline totals that click through, filters chosen from the
// data, people search with pages, the one person page, and the background-check form on error.
import request from 'supertest';
import { aPersonRow, insertPeople } from '../factories/auditor-people.factory';
import { csrfTokenIn, formPostingTo, unescapeHtml } from '../helpers/html-forms';
import { OnboardingRollupCompactor } from '../../src/onboarding/onboarding-rollup.compactor';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { signIn, testIdpEnv } from '../helpers/test-idp';

const PAST_START = '2025-01-06';
const ELI = { email: 'eli.hr-pages@corp.example', name: 'Eli Engineer' };

interface SignedIn {
  cookies: string[];
  personId: string;
  csrfToken?: string;
}

describe('HR pages', () => {
  let t: TestApp;
  let hr: SignedIn;
  let auditor: SignedIn;
  let eli: string[];
  let eliId: string;
  let doraId: string;

  const get = (who: SignedIn, url: string) =>
    request(t.server).get(url).set('Cookie', who.cookies).set('Accept', 'text/html');
  const post = (who: SignedIn, url: string, form: Record<string, string>) =>
    request(t.server)
      .post(url)
      .set('Cookie', who.cookies)
      .set('Accept', 'text/html')
      .type('form')
      .send({ _csrf: who.csrfToken!, ...form });
  /** The href of the link whose element carries this test id. */
  const hrefOf = (html: string, testId: string) =>
    unescapeHtml(new RegExp(`data-testid="${testId}"[^>]*href="([^"]+)"`).exec(html)?.[1] ?? '');
  const idOf = async (email: string) =>
    (await t.db.query<{ id: string }>('select id from person where email = $1', [email]))[0].id;

  beforeAll(async () => {
    t = await createTestApp({ env: await testIdpEnv() });
    const sp = { acsUrl: t.config.saml.acsUrl, spEntityId: t.config.saml.spEntityId };
    const session = async (email: string, groups: string[]): Promise<SignedIn> => ({
      cookies: [await signIn(t.server, sp, { email, groups })],
      personId: await idOf(email),
    });
    hr = await session('harriet.hr@corp.example', ['attest-hr']);
    hr.csrfToken = csrfTokenIn((await get(hr, '/people/import').expect(200)).text);
    auditor = await session('aude.auditor@corp.example', ['attest-auditors']);
    eli = [
      await signIn(t.server, sp, {
        email: ELI.email,
        displayName: ELI.name,
        attributes: { department: 'Engineering', country: 'US', startDate: PAST_START },
      }),
    ];
    await signIn(t.server, sp, {
      email: 'dora.hr-pages@corp.example',
      displayName: 'Dora Designer',
      attributes: { department: 'Design', country: 'DE', startDate: PAST_START },
    });
    eliId = await idOf(ELI.email);
    doraId = await idOf('dora.hr-pages@corp.example');
    await t.db.query("update person set employee_number = 'E-1042' where id = $1", [doraId]);
    // Eli signs the NDA, so the person page has a sealed PDF to link to.
    const csrf = csrfTokenIn(
      (
        await request(t.server)
          .get('/documents/nda')
          .redirects(2)
          .set('Cookie', eli)
          .set('Accept', 'text/html')
      ).text,
    );
    const eliPost = (path: string, form: Record<string, string>) =>
      request(t.server)
        .post(path)
        .set('Cookie', eli)
        .set('Accept', 'text/html')
        .type('form')
        .send({ _csrf: csrf, ...form });
    await eliPost('/documents/consent', { agree: 'yes', next: '/me' }).expect(303);
    const ndaPage = await request(t.server)
      .get('/documents/nda')
      .set('Cookie', eli)
      .set('Accept', 'text/html')
      .expect(200);
    const nda = formPostingTo(ndaPage.text, /signatures$/);
    await eliPost(nda.action, {
      intent: 'yes',
      typedName: ELI.name,
      submission: nda.hidden.submission,
    }).expect(303);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('shows headline totals in words on /onboarding, each clicking through to its list', async () => {
    await post(hr, '/background-checks', {
      personId: eliId,
      type: 'criminal_record',
      jurisdiction: 'US',
      status: 'in_progress',
    }).expect(303);
    const [{ onboarding }] = await t.db.query<{ onboarding: number }>(
      'select count(*)::int as onboarding from onboarding_summary where not terminated and done < total',
    );
    const page = await get(hr, '/onboarding').expect(200);
    const text = unescapeHtml(page.text);
    expect(text).toContain(`${onboarding} people onboarding`);
    expect(text).toContain('1 background check pending');
    expect(text).toMatch(/\d+ (person|people) with overdue tasks/);

    const people = await get(hr, hrefOf(page.text, 'total-onboarding')).expect(200);
    expect(people.text).toContain(ELI.name);
    const overdue = await get(hr, hrefOf(page.text, 'total-overdue')).expect(200);
    expect(overdue.text).toContain(ELI.name);
    const checks = await get(hr, hrefOf(page.text, 'total-checks')).expect(200);
    expect(checks.text).toContain(ELI.name);
    expect(unescapeHtml(checks.text)).toContain('1 check.');
  });

  it('offers filters as choices from the data and matches them whatever the case', async () => {
    const page = await get(hr, '/onboarding').expect(200);
    expect(page.text).toMatch(/<select[^>]+name="department"/);
    expect(page.text).toContain('<option value="Engineering"');
    const filtered = await get(hr, '/onboarding?department=engineering').expect(200);
    expect(filtered.text).toMatch(/<th scope="row"><a href="[^"]+">Engineering<\/a><\/th>/);
    expect(filtered.text).not.toMatch(/<th scope="row">(<a href="[^"]+">)?Design/);
    const overdue = await get(hr, '/onboarding/overdue?department=ENGINEERING').expect(200);
    expect(overdue.text).toContain(ELI.name);
    expect(overdue.text).not.toContain('Dora Designer');
    // Every list that names a person links to the one person page.
    expect(overdue.text).toContain(`href="/people/${eliId}"`);
  });

  it('searches people by name, email or employee number, whatever the case', async () => {
    const byName = await get(hr, '/people?q=eli%20ENG').expect(200);
    expect(byName.text).toContain(ELI.name);
    expect(byName.text).not.toContain('Dora Designer');
    const byEmail = await get(hr, '/people?q=DORA.HR-PAGES@').expect(200);
    expect(byEmail.text).toContain('Dora Designer');
    expect(byEmail.text).not.toContain(ELI.name);
    const byNumber = await get(hr, '/people?q=e-1042').expect(200);
    expect(byNumber.text).toContain('Dora Designer');
    expect(byNumber.text).toContain('value="e-1042"');
  });

  it('pages through search results, keeping the query in the page links', async () => {
    await insertPeople(
      (sql, params) => t.db.query(sql, params),
      Array.from({ length: 60 }, (_, i) =>
        aPersonRow({ fullName: `Pager ${String(i).padStart(2, '0')}`, department: 'Paging' }),
      ),
    );
    const first = await get(hr, '/people?q=pager').expect(200);
    expect(unescapeHtml(first.text)).toContain('Showing 1–50 of 60');
    const next = hrefOf(first.text, 'next-page');
    expect(next).toBe('/people?q=pager&page=2');
    const second = await get(hr, next).expect(200);
    expect(unescapeHtml(second.text)).toContain('Showing 51–60 of 60');
    expect(second.text).toContain('Pager 59');
    expect(hrefOf(second.text, 'previous-page')).toBe('/people?q=pager&page=1');
  });

  it('gathers one person on one page: fields, requirements, signatures with PDFs, checks', async () => {
    const page = await get(hr, `/people/${eliId}`).expect(200);
    const text = unescapeHtml(page.text);
    expect(text).toContain('Engineering');
    const [nda] = await t.db.query<{ title: string }>(
      "select title from document_version where document_id = 'nda' order by version_key desc limit 1",
    );
    expect(text).toContain(nda.title);
    expect(page.text).toMatch(/<time datetime="\d{4}-\d{2}-\d{2}">/);
    expect(text).toContain('Overdue');
    expect(page.text).not.toContain('>not_started<');
    const [attestation] = await t.db.query<{ id: string }>(
      'select id from attestation where person_id = $1',
      [eliId],
    );
    expect(page.text).toContain(`href="/attestations/${attestation.id}/pdf"`);
    await get(hr, `/attestations/${attestation.id}/pdf`).expect(200);
    expect(text).toContain('Criminal record');
    expect(text).toContain('In progress');
    expect(page.text).toContain(`href="/people/${eliId}/background-checks/new"`);
    expect(page.text).toMatch(/\/background-checks\/[0-9a-f-]{36}"/);
  });

  it('shows waive controls only to a viewer who may waive', async () => {
    const asHr = await get(hr, `/people/${eliId}`).expect(200);
    expect(asHr.text).toContain(`action="/onboarding/people/${eliId}/waivers"`);
    const asAuditor = await get(auditor, `/people/${eliId}`).expect(200);
    expect(asAuditor.text).toContain(ELI.name);
    expect(asAuditor.text).not.toContain('/waivers"');
    expect(asAuditor.text).not.toContain('background-checks/new');
    // Nobody decides about their own record (ISO/IEC 27001 A.5.3).
    const own = await get(hr, `/people/${hr.personId}`).expect(200);
    expect(own.text).not.toContain('/waivers"');
  });

  it('answers an id that is not one in words', async () => {
    const res = await get(hr, '/people/not-a-uuid');
    expect(res.status).toBe(404);
    expect(unescapeHtml(res.text)).toContain('No person with that id');
    expect(res.text).not.toContain('uuid is expected');
  });

  it('links "Record a check" from /background-checks and names people with links', async () => {
    const page = await get(hr, '/background-checks').expect(200);
    expect(page.text).toContain('Record a check');
    expect(page.text).toContain(`href="/people/${eliId}"`);
    expect(await get(hr, hrefOf(page.text, 'record-check')).then((r) => r.status)).toBe(200);
  });

  it('brings the check form back with every problem beside its field, keeping what was typed', async () => {
    const res = await post(hr, '/background-checks', {
      personId: doraId,
      type: 'education',
      jurisdiction: 'Germany',
      status: 'waived',
      providerName: 'Sterling Screening',
      startedAt: '2026-06-10',
      completedAt: '2026-06-01',
    });
    expect(res.status).toBe(422);
    const text = unescapeHtml(res.text);
    expect(text).toContain('There is a problem');
    expect(res.text).toContain('href="#check-jurisdiction"');
    expect(res.text).toContain('id="check-waiver-reason-error"');
    expect(text).toContain('Give the reason for the waiver');
    expect(res.text).toContain('value="Germany"');
    expect(res.text).toContain('value="Sterling Screening"');
    expect(res.text).toMatch(/<option value="education" selected>Education<\/option>/);
    expect(res.text).toMatch(/<option value="waived" selected>Waived<\/option>/);
    expect(res.text).not.toContain('waiverReason:');
  });

  /** The rollups as the overview reads them: each group the sum of its delta rows. */
  const rollups = async () => ({
    groups: await t.db.query(
      `select department, country, start_month, sum(people)::int as people,
              sum(total)::int as total, sum(done)::int as done, sum(open)::int as open,
              sum(onboarding)::int as onboarding
         from onboarding_rollup group by 1, 2, 3 having sum(people) <> 0 order by 1, 2, 3`,
    ),
    dues: await t.db.query(
      `select department, due_date::text as due, sum(open_count)::int as open,
              sum(first_count)::int as first
         from onboarding_rollup_due group by 1, 2 having sum(open_count) <> 0 order by 1, 2`,
    ),
    weeks: await t.db.query(
      'select week::text as week, sum(count)::int as count from completion_week group by 1 order by 1',
    ),
  });

  it('keeps the overview’s rollups equal to a count over every person, through changes', async () => {
    await t.db.query("update onboarding_summary set department = 'Research' where person_id = $1", [
      doraId,
    ]);
    await t.db.query('update onboarding_summary set terminated = true where person_id = $1', [
      hr.personId,
    ]);
    await t.db.query('delete from onboarding_summary where person_id = $1', [auditor.personId]);
    // A statement that changes nothing adds no row.
    const [{ n: before }] = await t.db.query('select count(*)::int as n from onboarding_rollup');
    await t.db.query('update onboarding_summary set total = total where person_id = $1', [doraId]);
    expect((await t.db.query('select count(*)::int as n from onboarding_rollup'))[0].n).toBe(
      before,
    );

    const counted = {
      groups: await t.db.query(
        `select coalesce(department, '') as department, coalesce(country, '') as country,
                coalesce(start_month, '') as start_month, count(*)::int as people,
                sum(total)::int as total, sum(done)::int as done,
                sum(cardinality(open_due_dates))::int as open,
                (count(*) filter (where done < total))::int as onboarding
           from onboarding_summary where not terminated group by 1, 2, 3 order by 1, 2, 3`,
      ),
      dues: await t.db.query(
        `select coalesce(s.department, '') as department, u.due::text as due,
                count(*)::int as open, (count(*) filter (where u.ord = 1))::int as first
           from onboarding_summary s, unnest(s.open_due_dates) with ordinality as u(due, ord)
          where not s.terminated group by 1, 2 order by 1, 2`,
      ),
      weeks: await t.db.query(
        `select (date_trunc('week', completed_at at time zone 'UTC'))::date::text as week,
                count(*)::int as count from requirement_completion group by 1 order by 1`,
      ),
    };
    expect(counted.groups.length).toBeGreaterThan(0);
    expect(await rollups()).toEqual(counted);

    // Compaction folds the deltas to one row per group, drops the empty ones, changes no sum.
    const deltas = (await t.db.query('select count(*)::int as n from onboarding_rollup'))[0].n;
    expect(deltas).toBeGreaterThan(counted.groups.length);
    expect(await t.app.get(OnboardingRollupCompactor).compact()).toBeGreaterThan(0);
    expect(await rollups()).toEqual(counted);
    const perGroup = await t.db.query(
      `select count(*)::int as rows from onboarding_rollup group by department, country, start_month
       union all select count(*)::int from onboarding_rollup_due
        group by department, country, start_month, due_date
       union all select count(*)::int from completion_week group by week`,
    );
    expect(new Set(perGroup.map((r) => r.rows))).toEqual(new Set([1]));
    expect(
      (await t.db.query('select count(*)::int as n from onboarding_rollup where people = 0'))[0].n,
    ).toBe(0);
    // A second pass has nothing left to fold.
    expect(await t.app.get(OnboardingRollupCompactor).compact()).toBe(0);
  });

  it('vacuums the rollups after folding many deltas, and keeps their sums', async () => {
    const vacuums = async () =>
      (
        await t.db.query<{ n: number }>(
          "select vacuum_count::int as n from pg_stat_user_tables where relname = 'completion_week'",
        )
      )[0].n;
    const before = { sums: await rollups(), vacuums: await vacuums() };
    // 12,000 deltas that cancel out, as a bulk recalculation can leave.
    await t.db.query(
      `insert into completion_week (week, count)
         select date '2026-01-05', case when i % 2 = 0 then 1 else -1 end
           from generate_series(1, 12000) as i`,
    );

    expect(await t.app.get(OnboardingRollupCompactor).compact()).toBeGreaterThanOrEqual(12000);
    expect(await rollups()).toEqual(before.sums);
    expect(await vacuums()).toBe(before.vacuums + 1);
  });
});
