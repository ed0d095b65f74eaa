import { createHash, randomUUID } from 'node:crypto';
import request from 'supertest';
import { DocumentSyncService } from '../../src/documents/document-sync.service';
import { DocumentSyncRefused } from '../../src/documents/documents.errors';
import { copyPolicies, type PoliciesCopy } from '../factories/policies.factory';
import { formPostingTo } from '../helpers/html-forms';
import { csrfTokenOf, PERSONAS, signInAs } from '../helpers/role-sessions';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { signIn, TEST_IDP, testIdpEnv } from '../helpers/test-idp';

const NAME = 'Zoë Ørsted-Łukasiewicz';
const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AttestE2E/1.0';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

interface Browser {
  cookies: string[];
  csrf: string;
  personId: string;
}

describe('Documents and signatures (e2e)', () => {
  let t: TestApp;
  let policies: PoliciesCopy;
  let hire: Browser;

  beforeAll(async () => {
    policies = copyPolicies();
    t = await createTestApp({ env: { ...(await testIdpEnv()), POLICIES_DIR: policies.dir } });
    const sp = { acsUrl: t.config.saml.acsUrl, spEntityId: t.config.saml.spEntityId };
    const cookies = [
      await signIn(t.server, sp, {
        email: 'zoe.orsted@corp.example',
        displayName: NAME,
        groups: ['all-staff'],
      }),
    ];
    const [person] = await t.db.query<{ id: string }>('select id from person where email = $1', [
      'zoe.orsted@corp.example',
    ]);
    hire = { cookies, csrf: await csrfTokenOf(t, cookies), personId: person.id };
  });

  afterAll(async () => {
    await t?.close();
    policies?.remove();
  });

  const get = (b: Browser, path: string) =>
    request(t.server)
      .get(path)
      .set('Cookie', b.cookies)
      .set('Accept', 'text/html')
      .set('User-Agent', USER_AGENT);
  const post = (b: Browser, path: string, form: Record<string, string>) =>
    request(t.server)
      .post(path)
      .set('Cookie', b.cookies)
      .set('Accept', 'text/html')
      .set('User-Agent', USER_AGENT)
      .type('form')
      .send({ _csrf: b.csrf, ...form });
  const signatures = (personId: string, documentId: string) =>
    t.db.query<Record<string, unknown>>(
      'select * from signature where person_id = $1 and document_id = $2 order by signed_at',
      [personId, documentId],
    );
  const openSubmission = async (b: Browser, path: string) => {
    const page = await get(b, path).expect(200);
    return formPostingTo(page.text, /\/signatures$|\/attempts$/);
  };
  const consent = (b: Browser) => post(b, '/documents/consent', { agree: 'yes', next: '/me' });

  it('publishes every shipped document as an immutable version with the SHA-256 of its bytes', async () => {
    const rows = await t.db.query<{ document_id: string; sha256: string; source: string }>(
      'select document_id, sha256, source from document_version',
    );
    expect(rows.map((r) => r.document_id).sort()).toEqual(
      [
        'acceptable-use-policy',
        'confidentiality-agreement',
        'data-protection-policy',
        'electronic-records-disclosure',
        'incident-reporting-policy',
        'information-security-policy',
        'nda',
        'post-employment-obligations',
        'training-data-handling',
        'training-incident-reporting',
        'training-passwords-mfa',
        'training-phishing',
        'training-physical-security',
      ].sort(),
    );
    for (const row of rows) {
      const file = row.document_id.startsWith('electronic-')
        ? `esign/${row.document_id}.md`
        : `documents/${row.document_id}.md`;
      expect(row.sha256).toBe(sha256(policies.read(file)));
    }
    await expect(
      t.db.query("update document_version set title = 'x' where document_id = 'nda'"),
    ).rejects.toThrow(/append-only/);
  });

  it('refuses to sign before consent to electronic records, and records nothing', async () => {
    const page = await get(hire, '/documents/nda').expect(200);
    expect(page.text).toContain('/documents/consent?next=/documents/nda');
    expect(page.text).not.toContain('action="/documents/nda/versions/1.0.0/signatures"');
    const res = await post(hire, '/documents/nda/versions/1.0.0/signatures', {
      intent: 'yes',
      typedName: NAME,
      submission: randomUUID(),
    });
    expect(res.status).toBe(409);
    expect(res.text).toContain('consent to electronic records');
    expect(await signatures(hire.personId, 'nda')).toHaveLength(0);
  });

  it('records consent once, with the disclosure version and hash', async () => {
    const page = await get(hire, '/documents/consent').expect(200);
    expect(page.text).toContain('Consent to Electronic Records and Signatures');
    await consent(hire).expect(303);
    await consent(hire).expect(303);
    const rows = await t.db.query<{ disclosure_version: string; disclosure_sha256: string }>(
      'select * from esign_consent where person_id = $1',
      [hire.personId],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].disclosure_version).toBe('1.0.0');
    expect(rows[0].disclosure_sha256).toBe(
      sha256(policies.read('esign/electronic-records-disclosure.md')),
    );
  });

  it('refuses a typed name that is not the name on record, keeping what was typed', async () => {
    const form = await openSubmission(hire, '/documents/nda');
    const res = await post(hire, form.action, {
      intent: 'yes',
      typedName: 'Somebody Else',
      submission: form.hidden.submission,
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Type your full name exactly');
    expect(res.text).toContain('value="Somebody Else"');
    const noIntent = await post(hire, form.action, {
      typedName: NAME,
      submission: form.hidden.submission,
    });
    expect(noIntent.status).toBe(422);
    expect(noIntent.text).toContain('Tick the statement');
    expect(await signatures(hire.personId, 'nda')).toHaveLength(0);
  });

  it('signs once however often the form is submitted, with every evidence field', async () => {
    const form = await openSubmission(hire, '/documents/nda');
    const body = {
      intent: 'yes',
      // Case and extra spaces do not matter.
      typedName: `  ${NAME.toUpperCase().replace(' ', '   ')} `,
      submission: form.hidden.submission,
      // Naming someone else does nothing: the signer is the session's person.
      personId: randomUUID(),
    };
    const [first, second] = await Promise.all([
      post(hire, form.action, body),
      post(hire, form.action, body),
    ]);
    expect([first.status, second.status]).toEqual([303, 303]);
    const retry = await post(hire, form.action, { ...body, submission: randomUUID() });
    expect(retry.status).toBe(303);

    const rows = await signatures(hire.personId, 'nda');
    expect(rows).toHaveLength(1);
    const [row] = rows;
    const [version] = await t.db.query<{ id: string; sha256: string }>(
      "select id, sha256 from document_version where document_id = 'nda'",
    );
    const [consentRow] = await t.db.query<{ consented_at: Date }>(
      'select consented_at from esign_consent where person_id = $1',
      [hire.personId],
    );
    const [view] = await t.db.query<{ viewed_at: Date }>(
      'select viewed_at from document_view where person_id = $1 and document_version_id = $2',
      [hire.personId, version.id],
    );
    expect(row).toMatchObject({
      kind: 'document',
      person_id: hire.personId,
      document_version_id: version.id,
      version: '1.0.0',
      document_sha256: version.sha256,
      disclosure_version: '1.0.0',
      intent_text: 'I have read and agree to the Mutual Non-Disclosure Agreement, version 1.0.0.',
      typed_name: `${NAME.toUpperCase()}`.replace(' ', ' '),
      idp_entity_id: TEST_IDP.entityId,
      name_id: 'zoe.orsted@corp.example',
      submission_id: form.hidden.submission,
    });
    expect(row.intent_sha256).toBe(sha256(row.intent_text as string));
    expect(row.ip).toMatch(/127\.0\.0\.1|::1/);
    expect(row.user_agent).toBe(USER_AGENT);
    expect(row.authn_instant).toBeInstanceOf(Date);
    expect(row.consented_at).toEqual(consentRow.consented_at);
    expect(row.viewed_at).toEqual(view.viewed_at);
    expect((row.viewed_at as Date) <= (row.signed_at as Date)).toBe(true);

    const [assignment] = await t.db.query<{ status: string }>(
      "select status from requirement_assignment where person_id = $1 and subject = 'nda'",
      [hire.personId],
    );
    expect(assignment.status).toBe('done');
    await expect(t.db.query('delete from signature')).rejects.toThrow(/append-only/);
  });

  it('keeps the correct answers on the server until the quiz is submitted', async () => {
    const page = await get(hire, '/training/training-phishing').expect(200);
    const quiz = (
      await t.db.query<{
        quiz: { questions: { id: string; options: string[]; answer: number }[] };
      }>("select quiz from document_version where document_id = 'training-phishing'")
    )[0].quiz;
    expect(page.text).not.toMatch(/answer"?\s*:/);
    for (const q of quiz.questions) {
      // Every option is offered the same way: value is its position, nothing marks the right one.
      expect(page.text.match(new RegExp(`name="answer-${q.id}"`, 'g'))).toHaveLength(
        q.options.length,
      );
    }
    expect(page.text).not.toContain('correct');
    // The due date as people read it, the ISO day kept for machines.
    const due = /<dt>Due<\/dt><dd><time datetime="(\d{4}-\d{2}-\d{2})">([^<]+)<\/time>/.exec(
      page.text,
    );
    expect(due?.[2]).toMatch(/^\d{1,2} [A-Z][a-z]{2} \d{4}$/);
  });

  it('records a failed attempt without completing the module, then a pass that does', async () => {
    const [{ quiz }] = await t.db.query<{
      quiz: { questions: { id: string; options: string[]; answer: number }[] };
    }>("select quiz from document_version where document_id = 'training-phishing'");
    const answers = (right: boolean) =>
      Object.fromEntries(
        quiz.questions.map((q) => [
          `answer-${q.id}`,
          String(right ? q.answer : (q.answer + 1) % q.options.length),
        ]),
      );
    const failForm = await openSubmission(hire, '/training/training-phishing');
    const failed = await post(hire, failForm.action, {
      ...answers(false),
      intent: 'yes',
      typedName: NAME,
      submission: failForm.hidden.submission,
    }).expect(303);
    const failPage = await get(hire, failed.headers.location as string).expect(200);
    expect(failPage.text).toContain('not passed');
    expect(await signatures(hire.personId, 'training-phishing')).toHaveLength(0);

    const passForm = await openSubmission(hire, '/training/training-phishing');
    const passed = await post(hire, passForm.action, {
      ...answers(true),
      intent: 'yes',
      typedName: NAME,
      submission: passForm.hidden.submission,
    }).expect(303);
    expect((await get(hire, passed.headers.location as string)).text).toContain('passed');
    const attempts = await t.db.query<{ passed: boolean; score: number }>(
      'select passed, score from quiz_attempt where person_id = $1 order by attempted_at',
      [hire.personId],
    );
    expect(attempts).toEqual([
      { passed: false, score: 0 },
      { passed: true, score: 100 },
    ]);
    const [training] = await signatures(hire.personId, 'training-phishing');
    expect(training).toMatchObject({ kind: 'training', typed_name: NAME });
    expect(training.quiz_attempt_id).toBeTruthy();
    const cycles = await t.db.query<{ cycle: number; status: string; due_date: string }>(
      `select cycle, status, due_date::text from requirement_assignment
        where person_id = $1 and subject = 'training-phishing' order by cycle`,
      [hire.personId],
    );
    // Passed now, due again a year later.
    expect(cycles.map((c) => c.status)).toEqual(['done', 'not_started']);
    expect(cycles[1].due_date.slice(0, 4)).toBe(String(new Date().getUTCFullYear() + 1));
  });

  it('shows HR who signed which version and who is pending, as a page and a CSV', async () => {
    const hr = await signInAs(
      t,
      PERSONAS.find((p) => p.name === 'hr')!,
    );
    const page = await request(t.server)
      .get('/document-signatures/nda')
      .set('Cookie', hr.cookies)
      .set('Accept', 'text/html')
      .expect(200);
    expect(page.text).toContain(NAME);
    const csv = await request(t.server)
      .get('/document-signatures/nda?format=csv')
      .set('Cookie', hr.cookies)
      .expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toMatch(/^status,person_id,/);
    expect(lines.some((l) => l.startsWith('signed,') && l.includes(hire.personId))).toBe(true);
    const employee = await signInAs(
      t,
      PERSONAS.find((p) => p.name === 'employee')!,
    );
    await request(t.server)
      .get('/document-signatures/nda')
      .set('Cookie', employee.cookies)
      .set('Accept', 'text/html')
      .expect(403);
  });

  it('asks for a new signature of a material version, shows what changed, and refuses the old one', async () => {
    const oldForm = await openSubmission(hire, '/documents/information-security-policy');
    policies.bump(
      'information-security-policy',
      '1.1.0',
      'material',
      'Adds a rule on AI assistants.',
      'Staff must not paste Confidential data into AI assistants the Company has not approved.',
    );
    const report = await t.app.get(DocumentSyncService).sync();
    expect(report.published).toEqual([
      { documentId: 'information-security-policy', version: '1.1.0' },
    ]);

    const stale = await post(hire, oldForm.action, {
      intent: 'yes',
      typedName: NAME,
      submission: oldForm.hidden.submission,
    });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('replaced by version 1.1.0');

    // Sign 1.1.0, publish 1.2.0: the page shows the summary and the diff since 1.1.0.
    const form = await openSubmission(hire, '/documents/information-security-policy');
    await post(hire, form.action, {
      intent: 'yes',
      typedName: NAME,
      submission: form.hidden.submission,
    }).expect(303);
    policies.bump(
      'information-security-policy',
      '1.2.0',
      'material',
      'Requires hardware keys for administrators.',
      'Administrators must use a hardware security key.',
    );
    await t.app.get(DocumentSyncService).sync();
    // A retry of the 1.1.0 submission, superseded since, answers with what it recorded.
    await post(hire, form.action, {
      intent: 'yes',
      typedName: NAME,
      submission: form.hidden.submission,
    }).expect(303);
    const list = await get(hire, '/documents').expect(200);
    expect(list.text).toContain('New version since you signed 1.1.0');
    const page = await get(hire, '/documents/information-security-policy').expect(200);
    expect(page.text).toContain('Requires hardware keys for administrators.');
    expect(page.text).toMatch(
      /<ins><span class="visually-hidden">Added: <\/span><p>Administrators must use/,
    );
    const rows = await signatures(hire.personId, 'information-security-policy');
    expect(rows.map((r) => r.version)).toEqual(['1.1.0']);
  });

  it('asks again for a minor version of a document that says resign_on_minor', async () => {
    const form = await openSubmission(hire, '/documents/acceptable-use-policy');
    await post(hire, form.action, {
      intent: 'yes',
      typedName: NAME,
      submission: form.hidden.submission,
    }).expect(303);
    policies.bump('acceptable-use-policy', '1.0.1', 'minor', 'Clarifies wording.', 'Clarified.');
    policies.write(
      'documents/acceptable-use-policy.md',
      policies
        .read('documents/acceptable-use-policy.md')
        .replace(/^change: minor$/m, 'change: minor\nresign_on_minor: true'),
    );
    await t.app.get(DocumentSyncService).sync();
    const list = await get(hire, '/documents').expect(200);
    expect(list.text).toContain('data-testid="to-sign-acceptable-use-policy"');
  });

  it('does not ask for a new signature of a minor version', async () => {
    policies.bump('nda', '1.0.1', 'minor', 'Fixes a typo.', 'No change in meaning.');
    await t.app.get(DocumentSyncService).sync();
    const list = await get(hire, '/documents').expect(200);
    expect(list.text).not.toContain('data-testid="to-sign-nda"');
  });

  describe('sync refuses, writing nothing', () => {
    const versions = () =>
      t.db.query<{ n: number }>('select count(*)::int as n from document_version');

    it.each<[string, (p: PoliciesCopy) => void, RegExp]>([
      [
        'a changed file whose version was not bumped',
        (p) => p.write('documents/nda.md', `${p.read('documents/nda.md')}\nA silent edit.\n`),
        /documents\/nda\.md: changed, but its version 1\.0\.1 was already published/,
      ],
      [
        'a version that goes backwards',
        (p) => p.bump('acceptable-use-policy', '0.9.0', 'minor', 'Older.', 'Older text.'),
        /documents\/acceptable-use-policy\.md: version 0\.9\.0 goes backwards/,
      ],
      [
        'invalid front matter',
        (p) =>
          p.write(
            'documents/data-protection-policy.md',
            p.read('documents/data-protection-policy.md').replace(/^kind: .*$/m, 'kind: memo'),
          ),
        /documents\/data-protection-policy\.md: front matter field "kind" must be one of/,
      ],
    ])('%s', async (_case, edit, message) => {
      const before = await versions();
      const untouched = {
        nda: policies.read('documents/nda.md'),
        aup: policies.read('documents/acceptable-use-policy.md'),
        dpp: policies.read('documents/data-protection-policy.md'),
      };
      // A valid new version elsewhere in the same sync is not published either.
      policies.bump('incident-reporting-policy', '2.0.0', 'material', 'Rewritten.', 'New text.');
      edit(policies);
      const error = await t.app
        .get(DocumentSyncService)
        .sync()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DocumentSyncRefused);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).toContain('Nothing was written');
      expect(await versions()).toEqual(before);
      policies.write('documents/nda.md', untouched.nda);
      policies.write('documents/acceptable-use-policy.md', untouched.aup);
      policies.write('documents/data-protection-policy.md', untouched.dpp);
    });
  });

  it('lists every signature in the person’s history', async () => {
    const page = await get(hire, '/me/history').expect(200);
    const rows = page.text.match(/data-testid="history-row"/g) ?? [];
    expect(rows).toHaveLength(4);
    expect(page.text).toContain('training-phishing');
    expect(page.text).toContain('information-security-policy');
  });
});
