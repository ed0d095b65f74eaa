import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ApiTokensService } from '../../src/api-tokens/api-tokens.service';
import { ExportZipVerifier } from '../../src/exports/export-zip-verifier';
import { sha256, unzipFile } from '../factories/export-zip.factory';
import { formPostingTo } from '../helpers/html-forms';
import { PERSONAS, type SignedIn, signInAs } from '../helpers/role-sessions';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { testIdpEnv } from '../helpers/test-idp';

const persona = (name: string) => PERSONAS.find((p) => p.name === name)!;
const binary = (res: request.Response, done: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

/** Auditors' exports over HTTP: pages, permissions, direct downloads and background jobs. */
describe('Evidence exports (e2e)', () => {
  let t: TestApp;
  let auditor: SignedIn;
  const dir = mkdtempSync(join(tmpdir(), 'attest-exports-e2e-'));

  const page = (who: SignedIn, path: string) =>
    request(t.server).get(path).set('Cookie', who.cookies).set('Accept', 'text/html');
  const post = (who: SignedIn, path: string, form: Record<string, string>) =>
    request(t.server)
      .post(path)
      .set('Cookie', who.cookies)
      .set('Accept', 'text/html')
      .type('form')
      .send({ _csrf: who.csrfToken!, ...form });

  /** Signs documents through the real ESIGN flow, as the new hire in the browser would. */
  async function sign(who: SignedIn, documentIds: string[]): Promise<void> {
    await post(who, '/documents/consent', { agree: 'yes', next: '/me' }).expect(303);
    for (const id of documentIds) {
      const form = formPostingTo(
        (await page(who, `/documents/${id}`).expect(200)).text,
        /signatures$/,
      );
      await post(who, form.action, {
        intent: 'yes',
        typedName: who.persona.name,
        submission: form.hidden.submission,
      }).expect(303);
    }
  }

  async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const value = await probe();
      if (done(value) || Date.now() > deadline) return value;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  beforeAll(async () => {
    // Two PDFs or fewer download at once; three go to a background job.
    t = await createTestApp({ env: { ...(await testIdpEnv()), EXPORT_STREAM_LIMIT: '2' } });
    const employee = await signInAs(t, persona('employee'));
    await sign(employee, ['nda', 'confidentiality-agreement', 'acceptable-use-policy']);
    auditor = await signInAs(t, persona('auditor'));
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  it.each([
    ['auditor', 200],
    ['admin-with-totp', 200],
    ['employee', 403],
    ['hr', 403],
    ['admin-without-totp', 302],
  ])('GET /exports as %s answers %i', async (name, status) => {
    const who = name === 'auditor' ? auditor : await signInAs(t, persona(name));
    await page(who, '/exports').expect(status);
  });

  it('sends an anonymous visitor to sign in', async () => {
    const res = await request(t.server).get('/exports').set('Accept', 'text/html').expect(302);
    expect(res.headers.location).toMatch(/^\/auth\/saml\/login\?returnTo=%2Fexports/);
  });

  it('refuses HR and employees the export itself and any download', async () => {
    for (const name of ['hr', 'employee']) {
      const who = await signInAs(t, persona(name));
      await post(who, '/exports', {}).expect(403);
      await page(who, `/exports/${randomUUID()}/download`).expect(403);
    }
  });

  it('refuses an export form without the session CSRF token', async () => {
    await request(t.server)
      .post('/exports')
      .set('Cookie', auditor.cookies)
      .set('Accept', 'text/html')
      .type('form')
      .send({})
      .expect(403);
  });

  it('streams a small export straight back as the ZIP', async () => {
    const form = await page(auditor, '/exports').expect(200);
    expect(form.text).toContain('<option value="iso27001-a.6.6">');
    const res = await post(auditor, '/exports', { control: 'iso27001-a.6.6' })
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="attest-export-/);
    const zip = join(dir, 'small.zip');
    writeFileSync(zip, res.body as Buffer);
    const files = await unzipFile(zip);
    const manifest = JSON.parse(files.get('manifest.json')!.toString()) as { count: number };
    expect(manifest.count).toBe(2);
    await expect(t.app.get(ExportZipVerifier).verify(zip)).resolves.toMatchObject({ valid: true });
    const list = await page(auditor, '/exports').expect(200);
    expect(list.text).toContain('control iso27001-a.6.6');
    expect(list.text).toContain('Downloaded when made');
  });

  it('says that nothing matches instead of handing over an empty ZIP, keeping the filters', async () => {
    const jobs = async () =>
      (await t.db.query<{ n: string }>('select count(*)::text as n from export_job'))[0].n;
    const before = await jobs();
    const res = await post(auditor, '/exports', {
      department: 'Nowhere',
      control: 'iso27001-a.6.6',
    }).expect(422);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('data-testid="export-nothing-matched"');
    expect(res.text).toContain('No sealed PDF matches these filters');
    expect(res.text).toContain('value="Nowhere"');
    expect(res.text).toContain('<option value="iso27001-a.6.6" selected>');
    expect(await jobs()).toBe(before);
  });

  it('brings a malformed filter back on the form, beside its field, as typed', async () => {
    const res = await post(auditor, '/exports', { from: '2026-02-30', department: 'Sales' }).expect(
      422,
    );
    expect(res.text).toContain('There is a problem');
    expect(res.text).toContain('href="#export-from"');
    expect(res.text).toMatch(/id="export-from-error">&quot;From&quot; must be a date/);
    expect(res.text).toContain('value="2026-02-30"');
    expect(res.text).toContain('value="Sales"');
  });

  it('runs a larger export as a job: progress reaches the total, then the ZIP downloads', async () => {
    const started = await post(auditor, '/exports', {}).expect(303);
    const url = started.headers.location as string;
    expect(url).toMatch(/^\/exports\/[0-9a-f-]{36}$/);
    const done = await until(
      () => page(auditor, url).expect(200),
      (res) => res.text.includes('data-status="done"'),
    );
    expect(done.text).toContain('data-status="done"');
    expect(done.text).not.toContain('http-equiv="refresh"');
    const id = url.split('/').pop()!;
    const [job] = await t.db.query<{ total: number; done_count: number; sha256: string }>(
      'select total, done_count, sha256 from export_job where id = $1',
      [id],
    );
    expect(job).toMatchObject({ total: 3, done_count: 3 });
    if (!t.db.embedded) {
      // On a PostgreSQL server the job went through pg-boss, in the same database.
      const queued = await t.db.query<{ state: string }>(
        `select state from pgboss.job where name = 'attest-export' and data->>'exportId' = $1`,
        [id],
      );
      expect(queued).toEqual([{ state: 'completed' }]);
    }

    const download = formless(done.text);
    const res = await page(auditor, download).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toBe('application/zip');
    const body = res.body as Buffer;
    expect(sha256(body)).toBe(job.sha256);
    expect(res.headers['repr-digest']).toBe(
      `sha-256=:${Buffer.from(job.sha256, 'hex').toString('base64')}:`,
    );
    const zip = join(dir, 'job.zip');
    writeFileSync(zip, body);
    await expect(t.app.get(ExportZipVerifier).verify(zip)).resolves.toMatchObject({
      valid: true,
      exportId: id,
      count: 3,
    });
    const events = await t.db.query<{ action: string }>(
      `select action from audit_event where subject_type = 'export' and subject_id = $1 order by seq`,
      [id],
    );
    expect(events.map((e) => e.action)).toEqual([
      'export.requested',
      'export.completed',
      'export.downloaded',
    ]);
  });

  it('reloads the page of an unfinished job every 2 seconds, unless asked not to', async () => {
    const id = randomUUID();
    await t.db.query(
      `insert into export_job (id, status, delivery, filters, total, done_count, requested_by, created_at)
       values ($1, 'running', 'stored', '{"from":null,"to":null,"department":null,"control":null}', 10, 4, 'test', now())`,
      [id],
    );
    const running = await page(auditor, `/exports/${id}`).expect(200);
    expect(running.text).toContain('<meta http-equiv="refresh" content="2">');
    expect(running.text).toContain('4 of 10 PDFs');
    const still = await page(auditor, `/exports/${id}?refresh=off`).expect(200);
    expect(still.text).not.toContain('http-equiv="refresh"');
    await page(auditor, `/exports/${id}/download`).expect(409);
  });

  it('answers 404 for an export that does not exist', async () => {
    await page(auditor, `/exports/${randomUUID()}`).expect(404);
    await page(auditor, '/exports/not-an-id').expect(404);
  });

  describe('API', () => {
    let token: string;
    const api = (method: 'get' | 'post', path: string) =>
      request(t.server)[method](path).set('Authorization', `Bearer ${token}`);

    beforeAll(async () => {
      ({ secret: token } = await t.app
        .get(ApiTokensService)
        .create('test', { name: 'exports-e2e', role: 'auditor' }));
    });

    it('creates a job, reports its progress, and serves the ZIP', async () => {
      const created = await api('post', '/api/v1/exports')
        .send({ control: 'iso27001-a.6.6' })
        .expect(202);
      expect(created.body).toMatchObject({ status: expect.any(String) as string, total: 2 });
      const id = (created.body as { id: string }).id;
      const done = await until(
        () => api('get', `/api/v1/exports/${id}`).expect(200),
        (res) => (res.body as { status: string }).status === 'done',
      );
      expect(done.body).toMatchObject({ done: 2, downloadUrl: `/api/v1/exports/${id}/download` });
      const zip = await api('get', `/api/v1/exports/${id}/download`)
        .buffer(true)
        .parse(binary)
        .expect(200);
      expect(sha256(zip.body as Buffer)).toBe((done.body as { sha256: string }).sha256);
    });

    it('shows a finished job that matched nothing as such, without a download link', async () => {
      const created = await api('post', '/api/v1/exports')
        .send({ department: 'Nowhere' })
        .expect(202);
      const id = (created.body as { id: string }).id;
      await until(
        () => api('get', `/api/v1/exports/${id}`).expect(200),
        (res) => (res.body as { status: string }).status === 'done',
      );
      const shown = await page(auditor, `/exports/${id}`).expect(200);
      expect(shown.text).toContain('data-testid="export-empty"');
      expect(shown.text).not.toContain('data-testid="export-download"');
    });

    it('is documented in the auditor API’s OpenAPI document', async () => {
      const docs = await request(t.server).get('/api/docs-json').expect(200);
      const paths = Object.keys((docs.body as { paths: Record<string, unknown> }).paths);
      expect(paths).toEqual(
        expect.arrayContaining([
          '/api/v1/exports',
          '/api/v1/exports/{id}',
          '/api/v1/exports/{id}/download',
        ]),
      );
      expect(paths.some((p) => p.startsWith('/exports'))).toBe(false);
    });

    it('refuses a malformed filter, and a call without a token', async () => {
      const refused = await api('post', '/api/v1/exports').send({ from: 'yesterday' }).expect(400);
      expect((refused.body as { message: string }).message).toMatch(/"From" must be a date/);
      await request(t.server).get(`/api/v1/exports/${randomUUID()}`).expect(401);
    });
  });
});

/** The download link of a finished export's page. */
function formless(html: string): string {
  const href = /href="([^"]+)" data-testid="export-download"/.exec(html)?.[1];
  if (!href) throw new Error(`no download link in: ${html.slice(0, 400)}`);
  return href;
}
