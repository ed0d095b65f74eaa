import { createHash } from 'node:crypto';
import request from 'supertest';
import { tamper } from '../factories/tampered-pdf.factory';
import { formPostingTo } from '../helpers/html-forms';
import { attachedFile, expectIndependentToolsAccept, pdfText } from '../helpers/pdf-tools';
import { csrfTokenOf, PERSONAS, signInAs } from '../helpers/role-sessions';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { signIn, testIdpEnv } from '../helpers/test-idp';

const NAME = 'François Dvořák';
const EMAIL = 'francois.dvorak@corp.example';

interface AttestationRow {
  id: string;
  kind: string;
  pdf: Buffer;
  sha256: string;
  evidence: Record<string, unknown> & { auditTrail: { action: string }[] };
}

/** Signing makes a sealed PDF that independent tools and /verify accept, and tampering breaks. */
describe('Sealed attestation PDFs (e2e)', () => {
  let t: TestApp;
  let cookies: string[];
  let csrf: string;
  let signature: AttestationRow;
  let training: AttestationRow;

  const post = (path: string, form: Record<string, string>) =>
    request(t.server)
      .post(path)
      .set('Cookie', cookies)
      .set('Accept', 'text/html')
      .set('User-Agent', 'AttestE2E/1.0')
      .type('form')
      .send({ _csrf: csrf, ...form });
  const page = (path: string) =>
    request(t.server).get(path).set('Cookie', cookies).set('Accept', 'text/html').expect(200);
  const upload = (bytes: Buffer, name = 'attestation.pdf') =>
    request(t.server)
      .post('/verify')
      .set('Accept', 'text/html')
      .attach('file', bytes, { filename: name, contentType: 'application/pdf' });
  const reasonOf = (html: string) => /data-reason="([^"]+)"/.exec(html)?.[1];

  beforeAll(async () => {
    t = await createTestApp({ env: { ...(await testIdpEnv()), ORGANISATION_NAME: 'Example Ltd' } });
    const sp = { acsUrl: t.config.saml.acsUrl, spEntityId: t.config.saml.spEntityId };
    cookies = [await signIn(t.server, sp, { email: EMAIL, displayName: NAME })];
    csrf = await csrfTokenOf(t, cookies);
    await post('/documents/consent', { agree: 'yes', next: '/me' }).expect(303);
    const nda = formPostingTo((await page('/documents/nda')).text, /signatures$/);
    await post(nda.action, {
      intent: 'yes',
      typedName: NAME,
      submission: nda.hidden.submission,
    }).expect(303);
    const [{ quiz }] = await t.db.query<{
      quiz: { questions: { id: string; answer: number }[] };
    }>("select quiz from document_version where document_id = 'training-passwords-mfa'");
    const module = formPostingTo(
      (await page('/training/training-passwords-mfa')).text,
      /attempts$/,
    );
    await post(module.action, {
      ...Object.fromEntries(quiz.questions.map((q) => [`answer-${q.id}`, String(q.answer)])),
      intent: 'yes',
      typedName: NAME,
      submission: module.hidden.submission,
    }).expect(303);
    const rows = await t.db.query<AttestationRow>(
      'select a.* from attestation a join person p on p.id = a.person_id where p.email = $1',
      [EMAIL],
    );
    // The embedded database's driver answers bytea as a Uint8Array.
    const withBuffer = (r: AttestationRow) => ({ ...r, pdf: Buffer.from(r.pdf) });
    signature = withBuffer(rows.find((r) => r.kind === 'signature')!);
    training = withBuffer(rows.find((r) => r.kind === 'training')!);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('stores one sealed PDF per signature and training pass, with its SHA-256', async () => {
    expect(signature).toBeDefined();
    expect(training).toBeDefined();
    for (const row of [signature, training]) {
      expect(row.sha256).toBe(createHash('sha256').update(row.pdf).digest('hex'));
    }
    const [sig] = await t.db.query<{ id: string }>(
      "select s.id from signature s join person p on p.id = s.person_id where p.email = $1 and s.kind = 'document'",
      [EMAIL],
    );
    expect(signature.id).toBe(sig.id);
    await expect(t.db.query('update attestation set size = 0')).rejects.toThrow(/append-only/);
  });

  it('is accepted by pdfsig, qpdf and mutool', () => {
    expectIndependentToolsAccept(signature.pdf);
    expectIndependentToolsAccept(training.pdf);
  });

  it('says who acknowledged what, carries the audit trail and embeds evidence.json', () => {
    const text = pdfText(signature.pdf);
    expect(text).toContain(`${NAME} acknowledged Mutual Non-Disclosure Agreement version 1.0.0`);
    expect(text).toContain(signature.id);
    expect(text).toContain('Example Ltd');
    expect(text).toMatch(/page 1 of \d+/);
    expect(text).toContain(`/verify/${signature.id}`);
    expect(signature.evidence.auditTrail.map((e) => e.action)).toEqual([
      'esign.consented',
      'document.viewed',
      'document.signed',
    ]);
    const embedded = attachedFile(signature.pdf, 'evidence.json');
    expect(JSON.parse(embedded!.toString('utf8'))).toEqual(signature.evidence);
    expect(pdfText(training.pdf)).toContain(`${NAME} completed`);
  });

  it('verifies by id, the page the QR code leads to', async () => {
    const ok = await request(t.server).get(`/verify/${signature.id}`).expect(200);
    expect(ok.text).toContain('data-testid="verify-valid"');
    expect(ok.text).toContain(signature.sha256);
    const unknown = await request(t.server)
      .get('/verify/00000000-0000-4000-8000-000000000000')
      .expect(422);
    expect(reasonOf(unknown.text)).toBe('unknown-attestation');
  });

  it('verifies an uploaded PDF, without an account', async () => {
    const res = await upload(signature.pdf).expect(200);
    expect(res.text).toContain('data-testid="verify-valid"');
  });

  it.each<[string, (pdf: Buffer) => Buffer | Promise<Buffer>, string]>([
    ['a flipped byte', (pdf) => tamper.flipByte(pdf), 'digest-mismatch'],
    ['bytes appended after %%EOF', (pdf) => tamper.appendBytes(pdf), 'bytes-appended'],
    ['a truncated file', (pdf) => tamper.truncate(pdf), 'truncated'],
    ['a re-saved file', (pdf) => tamper.resave(pdf), 'resaved'],
    ['a file that is not a PDF', () => Buffer.from('name,email\nA,a@b.c\n'), 'not-a-pdf'],
  ])('refuses %s with its own reason, never a 500', async (_case, damage, reason) => {
    const res = await upload(await damage(signature.pdf));
    expect(res.status).toBe(422);
    expect(reasonOf(res.text)).toBe(reason);
  });

  it('refuses a 50 MB upload by its size, before reading it all', async () => {
    const res = await upload(Buffer.alloc(50 * 1024 * 1024, 0x25));
    expect(res.status).toBe(413);
    expect(res.text).toContain('larger than 20 MB');
  });

  it('lets the signer and HR download the PDF byte for byte, and nobody else', async () => {
    const own = await request(t.server)
      .get(`/attestations/${signature.id}/pdf`)
      .set('Cookie', cookies)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(Buffer.compare(own.body as Buffer, signature.pdf)).toBe(0);
    const hr = await signInAs(
      t,
      PERSONAS.find((p) => p.name === 'hr')!,
    );
    await request(t.server)
      .get(`/attestations/${signature.id}/pdf`)
      .set('Cookie', hr.cookies)
      .expect(200);
    const employee = await signInAs(
      t,
      PERSONAS.find((p) => p.name === 'employee')!,
    );
    await request(t.server)
      .get(`/attestations/${signature.id}/pdf`)
      .set('Cookie', employee.cookies)
      .set('Accept', 'text/html')
      .expect(404);
  });

  it('seals a compliance summary on demand, naming each requirement and its attestation', async () => {
    const res = await request(t.server)
      .get('/me/compliance-summary')
      .set('Cookie', cookies)
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const pdf = res.body as Buffer;
    expect(res.headers['content-type']).toBe('application/pdf');
    expectIndependentToolsAccept(pdf);
    // Table cells wrap long ids across lines: compare without white space.
    const text = pdfText(pdf).replace(/\s/g, '');
    for (const id of [
      'employee-nda',
      'training-passwords-mfa',
      'employee-data-protection-policy',
    ]) {
      expect(text).toContain(id);
    }
    expect(text).toContain(signature.id);
    expect(text).toContain(training.id);
    const audit = await t.db.query(
      "select 1 from audit_event where action = 'compliance-summary.generated'",
    );
    expect(audit).toHaveLength(1);
  });
});
