import request from 'supertest';
import { runCli } from '../../src/cli/attest.cli';
import type { CliIo } from '../../src/cli/cli-io';
import { DocumentSyncService } from '../../src/documents/document-sync.service';
import { copyPolicies, type PoliciesCopy } from '../factories/policies.factory';
import { tamper } from '../factories/tampered-pdf.factory';
import { formPostingTo } from '../helpers/html-forms';
import { expectIndependentToolsAccept, fileWith } from '../helpers/pdf-tools';
import { csrfTokenOf, PERSONAS, signInAs } from '../helpers/role-sessions';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { signIn, testIdpEnv } from '../helpers/test-idp';

const NAME = 'Ngozi Adébáyọ̀';
const EMAIL = 'ngozi.adebayo@corp.example';

/** The text a reader sees: tags and their attributes (where ISO values belong) removed. */
const visibleText = (html: string) =>
  html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');

const binary = (res: request.Response, done: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

/** The new hire's task list, the confirmation after signing or passing, history and summary. */
describe('My tasks, confirmations and history (e2e)', () => {
  let t: TestApp;
  let policies: PoliciesCopy;
  let cookies: string[];
  let csrf: string;

  const page = (path: string, as = cookies) =>
    request(t.server).get(path).set('Cookie', as).set('Accept', 'text/html');
  const download = (path: string, as = cookies) =>
    request(t.server).get(path).set('Cookie', as).buffer(true).parse(binary);
  const post = (path: string, form: Record<string, string>) =>
    request(t.server)
      .post(path)
      .set('Cookie', cookies)
      .set('Accept', 'text/html')
      .type('form')
      .send({ _csrf: csrf, ...form });
  const sign = async (documentId: string): Promise<request.Response> => {
    const form = formPostingTo(
      (await page(`/documents/${documentId}`).expect(200)).text,
      /signatures$/,
    );
    return post(form.action, {
      intent: 'yes',
      typedName: NAME,
      submission: form.hidden.submission,
    }).expect(303);
  };
  const progressOf = (html: string) => /(\d+) of (\d+) done/.exec(html)?.slice(1).map(Number);

  beforeAll(async () => {
    policies = copyPolicies();
    t = await createTestApp({
      env: {
        ...(await testIdpEnv()),
        POLICIES_DIR: policies.dir,
        ORGANISATION_NAME: 'Example Ltd',
      },
    });
    const sp = { acsUrl: t.config.saml.acsUrl, spEntityId: t.config.saml.spEntityId };
    cookies = [
      await signIn(t.server, sp, { email: EMAIL, displayName: NAME, groups: ['all-staff'] }),
    ];
    csrf = await csrfTokenOf(t, cookies);
    await post('/documents/consent', { agree: 'yes', next: '/me' }).expect(303);
  });

  afterAll(async () => {
    await t?.close();
    policies?.remove();
  });

  it('shows /me as a task list: grouped, titled, status and due dates in words, progress', async () => {
    const res = await page('/me').expect(200);
    const html = res.text;
    expect(html.match(/<h1[ >]/g)).toHaveLength(1);
    for (const heading of ['Agreements', 'Policies', 'Training']) {
      expect(html).toMatch(new RegExp(`<h2 id="group-[a-z]+">${heading}</h2>`));
    }
    // Titles from the document and module versions, not their ids.
    expect(html).toMatch(/<a href="\/documents\/nda"[^>]*>Mutual Non-Disclosure Agreement<\/a>/);
    expect(html).toMatch(/<a href="\/training\/training-phishing"[^>]*>[^<]*[A-Z][^<]*<\/a>/);
    // A status tag in words, and a due date as people read it with the ISO value in <time>.
    expect(html).toMatch(/<strong class="govuk-tag govuk-tag--blue">Not started<\/strong>/);
    expect(html).toMatch(
      /<time datetime="\d{4}-\d{2}-\d{2}">due (today|tomorrow|in \d+ days), \d{1,2} [A-Z][a-z]{2} \d{4}<\/time>/,
    );
    const [done, total] = progressOf(html)!;
    expect(done).toBe(0);
    expect(total).toBeGreaterThan(3);
    expect(html).toMatch(new RegExp(`<progress max="${total}" value="0"`));
    // Sign-in facts and roles in words; no raw codes, ids or ISO timestamps on the page.
    const text = visibleText(html);
    expect(text).toContain('Signed in at');
    expect(text).toMatch(/Employee/);
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(text).not.toMatch(/not_started|in_progress|background_check|training-phishing|\bnda\b/);
    expect(text).toContain(`${done} of ${total} done`);
  });

  it('after signing: a confirmation panel with the sealed PDF and the next task', async () => {
    const before = progressOf((await page('/me').expect(200)).text)!;
    const signed = await sign('nda');
    expect(signed.headers.location).toBe('/documents/nda/versions/1.0.0?signed=1');
    const html = (await page(signed.headers.location).expect(200)).text;
    expect(html).toContain('data-testid="confirmation-panel"');
    expect(html).toContain('You signed Mutual Non-Disclosure Agreement');
    expect(html).not.toContain('Signature id');
    const pdfHref =
      /href="(\/attestations\/[0-9a-f-]{36}\/pdf)"[^>]*data-testid="confirmation-pdf"/.exec(
        html,
      )![1];
    const next =
      /<a class="button" href="([^"]+)" data-testid="confirmation-next">Next: ([^<]+)<\/a>/.exec(
        html,
      )!;
    expect(next[1]).toMatch(/^\/(documents|training)\/[a-z0-9-]+$/);
    expect(next[2]).not.toMatch(/^[a-z0-9-]+$/);
    // The PDF is the signer's own: it downloads for them, as a sealed PDF.
    const pdf = await download(pdfHref).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect((pdf.body as Buffer).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // Anyone else without the right to read signatures cannot even learn it exists.
    const other = await signInAs(
      t,
      PERSONAS.find((p) => p.name === 'employee')!,
    );
    await page(pdfHref, other.cookies).expect(404);
    // Reading it again later: no panel, but the PDF link stays.
    const again = (await page('/documents/nda').expect(200)).text;
    expect(again).not.toContain('data-testid="confirmation-panel"');
    expect(again).toContain(`href="${pdfHref}"`);
    expect(progressOf((await page('/me').expect(200)).text)![0]).toBe(before[0] + 1);
  });

  it('after passing a quiz: "You passed" with the sealed PDF and the next task', async () => {
    const [{ quiz }] = await t.db.query<{ quiz: { questions: { id: string; answer: number }[] } }>(
      "select quiz from document_version where document_id = 'training-phishing' order by version_key desc limit 1",
    );
    const form = formPostingTo(
      (await page('/training/training-phishing').expect(200)).text,
      /attempts$/,
    );
    const res = await post(form.action, {
      ...Object.fromEntries(quiz.questions.map((q) => [`answer-${q.id}`, String(q.answer)])),
      intent: 'yes',
      typedName: NAME,
      submission: form.hidden.submission,
    }).expect(303);
    const html = (await page(res.headers.location).expect(200)).text;
    expect(html).toMatch(/<h2>You passed [^<]+<\/h2>/);
    const pdfHref = /href="(\/attestations\/[0-9a-f-]{36}\/pdf)"/.exec(html)![1];
    expect(html).not.toMatch(/record <code>/);
    expect(html).toContain('data-testid="confirmation-next"');
    const pdf = await download(pdfHref).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
  });

  it('renders the changes of a new version, and keeps the earlier signature in the history', async () => {
    await sign('information-security-policy');
    policies.bump(
      'information-security-policy',
      '1.1.0',
      'material',
      'Requires hardware keys for administrators.',
      'Administrators must use a **hardware security key**.',
    );
    await t.app.get(DocumentSyncService).sync();
    const reading = (await page('/documents/information-security-policy').expect(200)).text;
    // The diff is rendered as the document reads, not raw Markdown.
    expect(reading).toMatch(
      /<ins><span class="visually-hidden">Added: <\/span><p>Administrators must use a <strong>hardware security key<\/strong>/,
    );
    expect(reading).not.toContain('**hardware security key**');
    await sign('information-security-policy');

    const history = (await page('/me/history').expect(200)).text;
    const rows = history.split('data-testid="history-row"').slice(1);
    const policyRows = rows.filter((r) => r.includes('Information Security Policy'));
    expect(policyRows).toHaveLength(2);
    expect(policyRows.filter((r) => r.includes('Earlier version'))).toHaveLength(1);
    expect(rows.some((r) => /Passed <a href="\/training\/training-phishing">/.test(r))).toBe(true);
    expect(history).toContain('href="/me/compliance-summary"');
    expect(visibleText(history)).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    for (const row of rows) {
      const href = /href="(\/attestations\/[0-9a-f-]{36}\/pdf)"/.exec(row)![1];
      const pdf = await download(href).expect(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
    }
  });

  describe('the compliance summary', () => {
    let summary: Buffer;
    const upload = (bytes: Buffer) =>
      request(t.server)
        .post('/verify')
        .set('Accept', 'text/html')
        .attach('file', bytes, { filename: 'summary.pdf', contentType: 'application/pdf' });

    beforeAll(async () => {
      summary = (await download('/me/compliance-summary').expect(200)).body as Buffer;
    });

    it('is accepted by /verify as a compliance summary of its person', async () => {
      const res = await upload(summary).expect(200);
      expect(res.text).toContain('data-testid="verify-valid"');
      expect(res.text).toMatch(
        new RegExp(
          `A sealed compliance summary of <bdi>${NAME}</bdi>, generated <time datetime="[^"]+">\\d{1,2} [A-Z][a-z]{2} \\d{4}, \\d{2}:\\d{2} UTC</time> by Example Ltd`,
        ),
      );
      expectIndependentToolsAccept(summary);
    });

    it('is refused by /verify once tampered with', async () => {
      const res = await upload(tamper.flipByte(summary)).expect(422);
      expect(/data-reason="([^"]+)"/.exec(res.text)?.[1]).toBe('digest-mismatch');
    });

    it('is accepted by attest verify, and refused tampered', async () => {
      const io = { stdout: [] as string[], stderr: [] as string[] };
      const cli: CliIo = { out: (l) => io.stdout.push(l), err: (l) => io.stderr.push(l) };
      const ok = await runCli(['verify', fileWith(summary, 'summary.pdf')], () => t.config, cli);
      expect(io.stderr).toEqual([]);
      expect(ok).toBe(0);
      expect(io.stdout.join('\n')).toContain(`Valid compliance summary of ${NAME}, generated `);
      const bad = await runCli(
        ['verify', fileWith(tamper.flipByte(summary), 'flipped.pdf')],
        () => t.config,
        cli,
      );
      expect(bad).toBe(1);
      expect(io.stderr.join('\n')).toContain('digest-mismatch');
    });
  });
});
