// The auditor's way in: a landing page for their work, and each sampled person's evidence
// (requirements in words with dates, sealed PDFs to download, background-check states only).
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { formPostingTo } from '../helpers/html-forms';
import { pdfText } from '../helpers/pdf-tools';
import { PERSONAS, signInAs, type SignedIn } from '../helpers/role-sessions';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { testIdpEnv } from '../helpers/test-idp';

const binary = (res: request.Response, done: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

const SEALED = 'v1.sealed-finding-that-must-never-show';

describe('auditor landing page and evidence view', () => {
  let t: TestApp;
  const who = new Map<string, SignedIn>();
  const as = (name: string) => who.get(name)!;
  const get = (name: string, path: string) =>
    request(t.server).get(path).set('Cookie', as(name).cookies).set('Accept', 'text/html');
  const post = (name: string, path: string, form: Record<string, string>) =>
    request(t.server)
      .post(path)
      .set('Cookie', as(name).cookies)
      .set('Accept', 'text/html')
      .type('form')
      .send({ _csrf: as(name).csrfToken!, ...form });

  beforeAll(async () => {
    t = await createTestApp({ env: await testIdpEnv() });
    for (const persona of PERSONAS) who.set(persona.name, await signInAs(t, persona));
    // The employee signs the NDA through the real ESIGN flow.
    await post('employee', '/documents/consent', { agree: 'yes', next: '/me' }).expect(303);
    const form = formPostingTo(
      (await get('employee', '/documents/nda').expect(200)).text,
      /signatures$/,
    );
    await post('employee', form.action, {
      intent: 'yes',
      typedName: as('employee').persona.name,
      submission: form.hidden.submission,
    }).expect(303);
    await t.db.query(
      `insert into background_check (id, person_id, type, jurisdiction, status, invited_at,
         started_at, adjudication_notes_ciphertext, report_reference_ciphertext, created_at, updated_at)
       values ($1, $2, 'criminal_record', 'GB', 'in_progress', '2026-11-02T09:00:00Z',
         '2026-11-03T10:00:00Z', $3, $3, now(), now())`,
      [randomUUID(), as('employee').personId, SEALED],
    );
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  describe('/auditors', () => {
    it('lists the auditor’s work, each with a sentence on what it is', async () => {
      const res = await get('auditor', '/auditors').expect(200);
      const tasks = [
        ...res.text.matchAll(/<h2><a href="([^"]+)">([^<]+)<\/a><\/h2>\s*<p>([^<]+)<\/p>/g),
      ];
      expect(tasks.map((m) => [m[1], m[2]])).toEqual([
        ['/auditors/populations', 'Populations'],
        ['/auditors/populations#samples-title', 'Samples'],
        ['/auditors/controls', 'Evidence by control'],
        ['/exports', 'Exports'],
        ['/audit', 'Audit log'],
      ]);
      expect(tasks.every((m) => m[3].length > 40)).toBe(true);
      expect(res.text.match(/<h1[ >]/g)).toHaveLength(1);
    });

    it('shows HR only the tasks their permissions open, and refuses an employee', async () => {
      const res = await get('hr', '/auditors').expect(200);
      expect(res.text).toContain('href="/auditors/populations"');
      expect(res.text).not.toContain('href="/exports"');
      expect(res.text).not.toContain('href="/audit"');
      await get('employee', '/auditors').expect(403);
    });

    it('is where the header’s "Auditors" link goes', async () => {
      const res = await get('auditor', '/me').expect(200);
      expect(res.text).toMatch(/<a href="\/auditors"[^>]*>Auditors<\/a>/);
    });
  });

  describe('/auditors/people/:id', () => {
    const evidenceOf = (name: string) => `/auditors/people/${as(name).personId}`;

    it('shows requirements in words with dates, sealed PDFs and check states', async () => {
      const res = await get('auditor', evidenceOf('employee')).expect(200);
      expect(res.text).toContain('Evidence: <bdi>');
      const nda =
        /<tr data-testid="evidence-requirement">\s*<th scope="row">([^<]+)<\/th>[\s\S]*?<\/tr>/g;
      const rows = [...res.text.matchAll(nda)].map((m) => m[0]);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.join('\n')).toMatch(
        /<strong class="tag[^"]*">(Done|Not started|Overdue|In progress)/,
      );
      expect(res.text).not.toMatch(/>not_started<|>in_progress</);
      expect(res.text).toMatch(
        /<time datetime="\d{4}-\d{2}-\d{2}">\d{1,2} [A-Z][a-z]{2} \d{4}<\/time>/,
      );
      const pdf = /<a href="(\/attestations\/[0-9a-f-]{36}\/pdf)" download>/.exec(res.text);
      expect(pdf).not.toBeNull();
      const file = await get('auditor', pdf![1]).buffer(true).parse(binary).expect(200);
      expect(file.headers['content-type']).toBe('application/pdf');
      // The PDF's audit-trail page names who acted and what about, not only their ids.
      const text = pdfText(file.body as Buffer);
      const trail = text.slice(text.indexOf('Audit trail'));
      const [{ name }] = await t.db.query<{ name: string }>(
        'select full_name as name from person where id = $1',
        [as('employee').personId],
      );
      expect(trail).toContain(name);
      // A long id wraps inside its cell: compare without the white space.
      expect(trail.replace(/\s/g, '')).toContain(`${name}${as('employee').personId}`);
      expect(trail).toMatch(/about: Electronic records disclosure version/);
      expect(trail).toMatch(/about: [A-Z][^,]* version \d/);
      expect(res.text).toContain('Criminal record');
      expect(res.text).toContain('In progress');
      expect(res.text).toMatch(
        /Invited <time datetime="2026-11-02T09:00:00.000Z">2 Nov 2026<\/time>/,
      );
      expect(res.text).not.toContain(SEALED);
      const [event] = await t.db.query<{ actor_id: string; subject_id: string }>(
        "select actor_id, subject_id from audit_event where action = 'person.evidence_viewed' order by seq desc limit 1",
      );
      expect(event).toEqual({
        actor_id: as('auditor').personId,
        subject_id: as('employee').personId,
      });
    });

    it('leads back to the sample it was opened from', async () => {
      const sample = randomUUID();
      const res = await get('auditor', `${evidenceOf('employee')}?sample=${sample}`).expect(200);
      expect(res.text).toContain(`href="/auditors/samples/${sample}"`);
      const ignored = await get('auditor', `${evidenceOf('employee')}?sample=x"><script>`).expect(
        200,
      );
      expect(ignored.text).not.toContain('Back to the sample');
    });

    it('answers an unknown or malformed id with 404 in words, and an employee with 403', async () => {
      const unknown = await get('auditor', `/auditors/people/${randomUUID()}`).expect(404);
      expect(unknown.text).toContain('There is no such person');
      await get('auditor', '/auditors/people/not-an-id').expect(404);
      await get('employee', evidenceOf('employee')).expect(403);
      // A sample's address mistyped reads the same way, never "uuid is expected".
      const sample = await get('auditor', '/auditors/samples/not-an-id').expect(404);
      expect(sample.text).toContain('There is no such sample');
      expect(sample.text).not.toContain('uuid');
    });
  });
});
