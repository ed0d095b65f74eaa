import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import { type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '../../src/config/config.loader';
import { migrate } from '../../src/database/migration.runner';
import { ExportArchiveModule } from '../../src/exports/export-archive.module';
import { type ExportFilters, NO_FILTERS } from '../../src/exports/export-filters';
import type { ExportManifest } from '../../src/exports/export-manifest';
import { ExportZipVerifier } from '../../src/exports/export-zip-verifier';
import { FileExportsService } from '../../src/exports/file-exports.service';
import { NotificationHistoryReader } from '../../src/notifications/notification-history.reader';
import { SeedModule } from '../../src/seed/seed.module';
import { SeedService } from '../../src/seed/seed.service';
import { sha256, tamperZip, unzipFile } from '../factories/export-zip.factory';
import { tool } from '../helpers/pdf-tools';
import { TEST_SECRETS } from '../helpers/test-app';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';

const ATTESTATIONS = 20;
const BODY_MARKER = 'BODY-NEVER-EXPORTED';

/**
 * Outbox rows for the follow-up history: a sent reminder to `person`, a failed manager
 * escalation carrying a step of theirs, and a reminder to `outsider`, who is not in the export.
 */
async function queueFollowUp(db: TestDatabase, person: string, outsider: string) {
  const message = async (
    id: string,
    kind: string,
    to: string,
    toPerson: string | null,
    at: string,
  ) => {
    const sent = kind === 'tasks';
    const sentAt = sent ? new Date(Date.parse(at) + 5 * 60_000).toISOString() : null;
    await db.query(
      `insert into notification (id, idempotency_key, kind, recipient_person_id, recipient_email,
         about_person_id, subject, text_body, html_body, status, status_reason, attempts,
         next_attempt_at, message_id, item_count, created_at, sent_at, updated_at)
       values ($1, $2, $3, $4, $5, $4, 'Subject', $6, $6, $7, $8, 1, $9, $2, 2, $9, $10, $9)`,
      [
        id,
        `key-${id}`,
        kind,
        toPerson,
        to,
        BODY_MARKER,
        sent ? 'sent' : 'failed',
        sent ? null : '550 mailbox unavailable',
        at,
        sentAt,
      ],
    );
  };
  await message(
    '00000000-0000-4000-8000-000000000001',
    'tasks',
    'p@x.test',
    person,
    '2026-03-02T09:00:00Z',
  );
  await message(
    '00000000-0000-4000-8000-000000000002',
    'manager_escalation',
    'boss@x.test',
    null,
    '2026-03-09T09:00:00Z',
  );
  await message(
    '00000000-0000-4000-8000-000000000003',
    'tasks',
    'o@x.test',
    outsider,
    '2026-03-02T09:00:00Z',
  );
  await db.query(
    `insert into notification_step (person_id, requirement_id, cycle, track, step,
       notification_id, listed, due_date, recorded_at)
     values ($1, 'nda', 1, 'manager', 'manager',
       '00000000-0000-4000-8000-000000000002', true, '2026-03-01', '2026-03-09T09:00:00Z')`,
    [person],
  );
}

/** Exports of real sealed attestations from a seeded organisation, checked as an auditor would. */
describe('Auditor exports (integration)', () => {
  let db: TestDatabase;
  let context: INestApplicationContext;
  let dir: string;
  let good: string;
  let files: Map<string, Buffer>;
  let manifest: ExportManifest;
  let reminded: string;

  const exportTo = async (name: string, filters: ExportFilters) => {
    const path = join(dir, name);
    const result = await context.get(FileExportsService).exportTo('test', filters, path, () => {});
    return { path, result, files: await unzipFile(path) };
  };
  const pdfsIn = (zip: Map<string, Buffer>) =>
    [...zip.keys()].filter((name) => name.startsWith('attestations/'));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'attest-exports-'));
    db = await createTestDatabase();
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: join(dir, 'data'), ...TEST_SECRETS });
    @Module({ imports: [SeedModule.forRoot(config, db), ExportArchiveModule] })
    class ExportsTestModule {}
    context = await NestFactory.createApplicationContext(ExportsTestModule, {
      logger: false,
      abortOnError: false,
    });
    await migrate(context.get(MikroORM));
    await context.get(SeedService).seed(40, () => undefined, { attestations: ATTESTATIONS });
    const [first] = await db.query<{ person_id: string }>(
      'select person_id from attestation order by created_at, id limit 1',
    );
    const [outsider] = await db.query<{ id: string }>(
      'select id from person where id not in (select person_id from attestation) limit 1',
    );
    reminded = first.person_id;
    await queueFollowUp(db, reminded, outsider.id);
    const exported = await exportTo('good.zip', NO_FILTERS);
    good = exported.path;
    files = exported.files;
    manifest = JSON.parse(files.get('manifest.json')!.toString('utf8')) as ExportManifest;
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds every sealed PDF byte for byte as stored, and every file matches the manifest', async () => {
    const stored = await db.query<{ id: string; pdf: Buffer }>('select id, pdf from attestation');
    expect(stored).toHaveLength(ATTESTATIONS);
    expect(pdfsIn(files).sort()).toEqual(stored.map((s) => `attestations/${s.id}.pdf`).sort());
    for (const row of stored) expect(files.get(`attestations/${row.id}.pdf`)).toEqual(row.pdf);

    expect(manifest.count).toBe(ATTESTATIONS);
    expect(manifest.files.map((f) => f.path).sort()).toEqual(
      [...files.keys()].filter((n) => !n.startsWith('manifest.json')).sort(),
    );
    for (const file of manifest.files) {
      expect(file.sha256).toBe(sha256(files.get(file.path)!));
      expect(file.size).toBe(files.get(file.path)!.length);
    }
  });

  it('has a manifest signature that openssl verifies, and that fails for an edited manifest', () => {
    const manifestFile = join(dir, 'manifest.json');
    const signatureFile = join(dir, 'manifest.json.p7s');
    writeFileSync(manifestFile, files.get('manifest.json')!);
    writeFileSync(signatureFile, files.get('manifest.json.p7s')!);
    const verify = () =>
      tool('openssl', [
        'cms',
        '-verify',
        '-binary',
        '-inform',
        'DER',
        '-in',
        signatureFile,
        '-content',
        manifestFile,
        '-noverify',
        '-out',
        '/dev/null',
      ]);
    const ok = verify();
    expect(ok.output).toContain('Verification successful');
    expect(ok.status).toBe(0);

    writeFileSync(manifestFile, files.get('manifest.json')!.toString().replace('"count"', '"cnt"'));
    expect(verify().status).not.toBe(0);
  });

  it('holds PDFs that pdfsig accepts', () => {
    const [first] = pdfsIn(files);
    const pdf = join(dir, 'one.pdf');
    writeFileSync(pdf, files.get(first)!);
    const output = tool('pdfsig', [pdf]).output;
    expect(output).toContain('Signature is Valid.');
    expect(output).toContain('Total document signed');
  });

  it('indexes every PDF with the signer and the document', async () => {
    const lines = files.get('index.csv')!.toString('utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'attestation_id,kind,person_id,employee_number,name,email,department,document_id,version,signed_at,sha256,file',
    );
    expect(lines).toHaveLength(ATTESTATIONS + 1);
    const [row] = await db.query<Record<string, string>>(
      `select a.id, p.email, p.employee_number, a.document_id, a.sha256
         from attestation a join person p on p.id = a.person_id order by a.created_at, a.id limit 1`,
    );
    const line = lines[1];
    for (const value of [row.id, row.email, row.employee_number, row.document_id, row.sha256]) {
      expect(line).toContain(value);
    }
  });

  it('holds the follow-up of the people in it: which reminders went out, when, to whom', () => {
    const lines = files.get('follow-up.csv')!.toString('utf8').trimEnd().split('\r\n');
    expect(lines).toEqual([
      'person_id,notification_id,kind,recipient,recipient_role,status,status_reason,queued_at,sent_at,tasks',
      `${reminded},00000000-0000-4000-8000-000000000001,tasks,p@x.test,person,sent,,2026-03-02T09:00:00.000Z,2026-03-02T09:05:00.000Z,2`,
      `${reminded},00000000-0000-4000-8000-000000000002,manager_escalation,boss@x.test,manager,failed,550 mailbox unavailable,2026-03-09T09:00:00.000Z,,2`,
    ]);
    expect(files.get('follow-up.csv')!.toString('utf8')).not.toContain(BODY_MARKER);
    expect(manifest.files.map((f) => f.path)).toContain('follow-up.csv');
  });

  it('reads the follow-up of a set of people a page at a time, by keyset', async () => {
    const reader = context.get(NotificationHistoryReader);
    const people = [reminded, '00000000-0000-4000-8000-00000000ffff'];
    const [first, ...none] = await reader.followUpOfPeople(people, 1);
    const rest = await reader.followUpOfPeople(people, 10, first.cursor);
    expect(none).toEqual([]);
    expect([first, ...rest].map((m) => [m.personId, m.notificationId, m.recipientRole])).toEqual([
      [reminded, '00000000-0000-4000-8000-000000000001', 'person'],
      [reminded, '00000000-0000-4000-8000-000000000002', 'manager'],
    ]);
    await expect(reader.followUpOfPeople(people, 10, rest[0].cursor)).resolves.toEqual([]);
  });

  it('filters by department, signing period and control', async () => {
    const [{ department }] = await db.query<{ department: string }>(
      `select p.department from attestation a join person p on p.id = a.person_id
        group by 1 order by count(*) desc limit 1`,
    );
    const byDepartment = await exportTo('department.zip', { ...NO_FILTERS, department });
    const [{ n: inDepartment }] = await db.query<{ n: string }>(
      'select count(*) as n from attestation a join person p on p.id = a.person_id where p.department = $1',
      [department],
    );
    expect(pdfsIn(byDepartment.files)).toHaveLength(Number(inDepartment));
    expect(Number(inDepartment)).toBeLessThan(ATTESTATIONS);

    const [{ day }] = await db.query<{ day: string }>(
      `select to_char(min(created_at) at time zone 'UTC', 'YYYY-MM-DD') as day from attestation`,
    );
    const [{ n: onDay }] = await db.query<{ n: string }>(
      `select count(*) as n from attestation where (created_at at time zone 'UTC')::date = $1::date`,
      [day],
    );
    const byDay = await exportTo('day.zip', { ...NO_FILTERS, from: day, to: day });
    expect(pdfsIn(byDay.files)).toHaveLength(Number(onDay));

    const [{ n: agreements }] = await db.query<{ n: string }>(
      `select count(*) as n from attestation where document_id in ('nda', 'confidentiality-agreement')`,
    );
    const nda = await exportTo('a66.zip', { ...NO_FILTERS, control: 'iso27001-a.6.6' });
    expect(pdfsIn(nda.files)).toHaveLength(Number(agreements));
    const screening = await exportTo('a61.zip', { ...NO_FILTERS, control: 'iso27001-a.6.1' });
    expect(pdfsIn(screening.files)).toHaveLength(0);
    expect(screening.result.count).toBe(0);
  });

  it('records each export as a job with its digest, and in the audit log', async () => {
    const [job] = await db.query<{ status: string; sha256: string; done_count: number }>(
      'select status, sha256, done_count from export_job where id = $1',
      [manifest.exportId],
    );
    expect(job).toMatchObject({ status: 'done', done_count: ATTESTATIONS });
    expect(job.sha256).toBe(sha256(readFileSync(good)));
    const events = await db.query<{ action: string }>(
      `select action from audit_event where subject_type = 'export' and subject_id = $1 order by seq`,
      [manifest.exportId],
    );
    expect(events.map((e) => e.action)).toEqual(['export.requested', 'export.completed']);
  });

  describe(ExportZipVerifier.name, () => {
    const verify = (path: string) => context.get(ExportZipVerifier).verify(path);
    const variant = (name: string) => join(dir, name);

    it('accepts the export as written', async () => {
      await expect(verify(good)).resolves.toMatchObject({
        valid: true,
        exportId: manifest.exportId,
        count: ATTESTATIONS,
      });
    });

    it('refuses a PDF with one byte flipped, naming it', async () => {
      const [first] = pdfsIn(files);
      tamperZip.flipPdfByte(good, variant('flipped.zip'), files.get(first)!);
      await expect(verify(variant('flipped.zip'))).resolves.toMatchObject({
        valid: false,
        reason: 'digest-mismatch',
        message: expect.stringContaining(first) as string,
      });
    });

    it('refuses a ZIP whose follow-up.csv was edited, naming it', async () => {
      const edited = files
        .get('follow-up.csv')!
        .toString('utf8')
        .replace('2026-03-02T09:05:00.000Z', '2026-03-01T09:05:00.000Z');
      await tamperZip.replace(good, variant('follow-up.zip'), 'follow-up.csv', Buffer.from(edited));
      await expect(verify(variant('follow-up.zip'))).resolves.toMatchObject({
        valid: false,
        reason: 'digest-mismatch',
        message: expect.stringContaining('follow-up.csv') as string,
      });
    });

    it('refuses a ZIP with a PDF removed', async () => {
      const [, second] = pdfsIn(files);
      await tamperZip.remove(good, variant('removed.zip'), second);
      await expect(verify(variant('removed.zip'))).resolves.toMatchObject({
        valid: false,
        reason: 'file-missing',
        message: expect.stringContaining(second) as string,
      });
    });

    it('refuses a ZIP with a file added', async () => {
      await tamperZip.add(
        good,
        variant('added.zip'),
        'attestations/extra.pdf',
        Buffer.from('%PDF'),
      );
      await expect(verify(variant('added.zip'))).resolves.toMatchObject({
        valid: false,
        reason: 'file-unexpected',
      });
    });

    it('refuses an edited manifest', async () => {
      await tamperZip.editManifest(good, variant('edited.zip'), (text) =>
        text.replace(`"count": ${ATTESTATIONS}`, `"count": ${ATTESTATIONS - 1}`),
      );
      await expect(verify(variant('edited.zip'))).resolves.toMatchObject({
        valid: false,
        reason: 'manifest-signature-invalid',
      });
    });

    it('refuses a file that is not a ZIP', async () => {
      writeFileSync(variant('not.zip'), 'PK\x03\x04 but nothing else');
      await expect(verify(variant('not.zip'))).resolves.toMatchObject({
        valid: false,
        reason: 'not-a-zip',
      });
    });
  });
});
