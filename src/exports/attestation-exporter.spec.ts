import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { type Entry, fromBufferPromise } from 'yauzl';
import type { DocumentSealer } from '../attestations/seal/document-sealer';
import type { SealIdentity } from '../attestations/seal/seal-identity';
import { ControlNotFound } from '../auditors/auditors.errors';
import type { ControlsService } from '../auditors/controls.service';
import type { AppConfig } from '../config/app-config';
import type {
  NotificationHistoryReader,
  PersonFollowUpRow,
} from '../notifications/notification-history.reader';
import { NotificationKind, NotificationStatus } from '../notifications/notification-kind';
import { RequirementKind } from '../requirements/requirement-rule';
import { AttestationExporter, EXPORT_BATCH } from './attestation-exporter';
import type {
  AttestationCursor,
  ExportAttestationRepository,
  ExportedAttestation,
} from './export-attestation.repository';
import { type AttestationSelection, NO_FILTERS } from './export-filters';
import {
  EXPORT_MAX_ATTESTATIONS,
  type ExportManifest,
  FOLLOW_UP_HEADER,
  INDEX_HEADER,
} from './export-manifest';
import { ExportFiltersInvalid, ExportTooLarge, StoredAttestationCorrupt } from './exports.errors';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

interface Stored {
  row: ExportedAttestation;
  pdf: Buffer;
}

function storedAttestations(count: number): Stored[] {
  return Array.from({ length: count }, (_, i) => {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(200 + i)]);
    const id = randomUUID();
    const at = new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString();
    return {
      pdf,
      row: {
        id,
        kind: i % 2 ? 'training' : 'signature',
        personId: randomUUID(),
        employeeNumber: `E${i}`,
        fullName: i === 0 ? '=HYPERLINK("x")' : `Person ${i}`,
        email: `p${i}@corp.example`,
        department: 'Finance',
        documentId: 'nda',
        version: '1.0.0',
        signedAt: at,
        sha256: sha256(pdf),
        size: pdf.length,
        cursor: { at, id },
      },
    };
  });
}

/** The repository over an in-memory list, paging the way the SQL does. */
function repositoryOver(stored: Stored[]) {
  const pages: (AttestationCursor | undefined)[] = [];
  const pdfBatches: number[] = [];
  const repository = {
    count: jest.fn(() => Promise.resolve(stored.length)),
    page: jest.fn(
      (_s: AttestationSelection, after: AttestationCursor | undefined, limit: number) => {
        pages.push(after);
        const start = after ? stored.findIndex((s) => s.row.id === after.id) + 1 : 0;
        return Promise.resolve(stored.slice(start, start + limit).map((s) => s.row));
      },
    ),
    pdfs: jest.fn((ids: readonly string[]) => {
      pdfBatches.push(ids.length);
      return Promise.resolve(
        new Map(stored.filter((s) => ids.includes(s.row.id)).map((s) => [s.row.id, s.pdf])),
      );
    }),
  };
  return { repository, pages, pdfBatches };
}

async function unzip(zip: Buffer): Promise<Map<string, Buffer>> {
  const archive = await fromBufferPromise(zip, { lazyEntries: true });
  const files = new Map<string, Buffer>();
  await new Promise<void>((resolve, reject) => {
    archive.on('entry', (entry: Entry) => {
      void archive.openReadStreamPromise(entry).then(async (stream) => {
        const chunks: Buffer[] = [];
        for await (const chunk of stream) chunks.push(chunk as Buffer);
        files.set(entry.fileName, Buffer.concat(chunks));
        archive.readEntry();
      }, reject);
    });
    archive.on('end', resolve);
    archive.on('error', reject);
    archive.readEntry();
  });
  return files;
}

describe(AttestationExporter.name, () => {
  const signature = Buffer.from('detached-cms');
  let sealer: { signDetached: jest.Mock };
  let controls: { subjectsFor: jest.Mock };
  let followUps: { followUpOfPeople: jest.Mock };

  /**
   * The outbox holds `messages` (each person's in queued order); the reader answers with those
   * of the people asked about, by person id as the SQL orders them.
   */
  function exporterFor(repository: unknown, messages: PersonFollowUpRow[] = []) {
    sealer = { signDetached: jest.fn(() => Promise.resolve(signature)) };
    controls = { subjectsFor: jest.fn() };
    followUps = {
      followUpOfPeople: jest.fn((people: readonly string[]) =>
        Promise.resolve(
          messages
            .filter((m) => people.includes(m.personId))
            .sort((a, b) => (a.personId < b.personId ? -1 : a.personId > b.personId ? 1 : 0)),
        ),
      ),
    };
    return new AttestationExporter(
      repository as ExportAttestationRepository,
      controls as unknown as ControlsService,
      sealer as unknown as DocumentSealer,
      { subject: 'CN=Seal', fingerprintSha256: 'AB:CD' } as SealIdentity,
      followUps as unknown as NotificationHistoryReader,
      { organisationName: 'Example Ltd' } as AppConfig,
    );
  }

  async function exportAll(sut: AttestationExporter, filters = NO_FILTERS) {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const progress: number[] = [];
    const result = await sut.write(
      { exportId: 'export-1', filters, generatedAt: new Date('2026-11-23T12:00:00Z') },
      out,
      { onProgress: (done) => void progress.push(done) },
    );
    return { result, zip: Buffer.concat(chunks), progress };
  }

  it('pages by keyset and fetches PDFs a batch at a time', async () => {
    const stored = storedAttestations(EXPORT_BATCH * 2 + 50);
    const { repository, pages, pdfBatches } = repositoryOver(stored);
    const { result, progress } = await exportAll(exporterFor(repository));
    expect(result.count).toBe(250);
    expect(pages).toEqual([
      undefined,
      stored[EXPORT_BATCH - 1].row.cursor,
      stored[2 * EXPORT_BATCH - 1].row.cursor,
    ]);
    expect(pdfBatches).toEqual([100, 100, 50]);
    expect(progress).toEqual([100, 200, 250]);
  });

  it('writes the PDFs byte for byte, index.csv, follow-up.csv, and a manifest with every digest, signed', async () => {
    const stored = storedAttestations(3);
    const { result, zip } = await exportAll(exporterFor(repositoryOver(stored).repository));
    const files = await unzip(zip);
    expect([...files.keys()]).toEqual([
      ...stored.map((s) => `attestations/${s.row.id}.pdf`),
      'index.csv',
      'follow-up.csv',
      'manifest.json',
      'manifest.json.p7s',
    ]);
    stored.forEach((s) => expect(files.get(`attestations/${s.row.id}.pdf`)).toEqual(s.pdf));

    const manifestBytes = files.get('manifest.json')!;
    const manifest = JSON.parse(manifestBytes.toString('utf8')) as ExportManifest;
    expect(manifest).toMatchObject({
      format: 'attest-export/1',
      exportId: 'export-1',
      generatedAt: '2026-11-23T12:00:00.000Z',
      organisation: 'Example Ltd',
      filters: NO_FILTERS,
      count: 3,
      seal: { subject: 'CN=Seal', fingerprintSha256: 'AB:CD' },
    });
    expect(manifest.files.map((f) => f.path)).toEqual([...files.keys()].slice(0, 5));
    for (const file of manifest.files) {
      expect(file.size).toBe(files.get(file.path)!.length);
      expect(file.sha256).toBe(sha256(files.get(file.path)!));
    }
    expect(sealer.signDetached).toHaveBeenCalledWith(manifestBytes);
    expect(files.get('manifest.json.p7s')).toEqual(signature);
    expect(result.sha256).toBe(sha256(zip));
    expect(result.size).toBe(zip.length);

    const index = files.get('index.csv')!.toString('utf8').split('\r\n');
    expect(index[0]).toBe(INDEX_HEADER.join(','));
    expect(index).toHaveLength(3 + 2);
    // OWASP CSV injection: a name that looks like a formula is written as text.
    expect(index[1]).toContain(`"'=HYPERLINK(""x"")"`);
    expect(index[2]).toContain(`,${stored[1].row.sha256},attestations/${stored[1].row.id}.pdf`);
  });

  it('lists the reminders and escalations concerning the people in it, never others', async () => {
    const stored = storedAttestations(3);
    const [ann, bea] = [stored[0].row.personId, stored[2].row.personId];
    const message = (personId: string, n: number, extra: Partial<PersonFollowUpRow> = {}) => ({
      personId,
      notificationId: `00000000-0000-4000-8000-00000000000${n}`,
      kind: NotificationKind.Tasks,
      recipientEmail: `${n}@corp.example`,
      recipientRole: 'person' as const,
      status: NotificationStatus.Sent,
      statusReason: null,
      queuedAt: `2026-03-0${n}T09:00:00.000Z`,
      sentAt: `2026-03-0${n}T09:01:00.000Z`,
      itemCount: n,
      cursor: { personId, at: '', notificationId: '' },
      ...extra,
    });
    const messages = [
      message(ann, 1),
      message(ann, 2, {
        kind: NotificationKind.HrEscalation,
        recipientEmail: '=hr@corp.example',
        recipientRole: 'hr',
        status: NotificationStatus.Failed,
        statusReason: '550 no, such "mailbox"',
        sentAt: null,
      }),
      message(bea, 3),
      message('not-in-the-export', 4),
    ];
    const { zip } = await exportAll(exporterFor(repositoryOver(stored).repository, messages));

    const lines = (await unzip(zip)).get('follow-up.csv')!.toString('utf8').split('\r\n');
    const [annRows, beaRows] = [
      [
        `${ann},00000000-0000-4000-8000-000000000001,tasks,1@corp.example,person,sent,,2026-03-01T09:00:00.000Z,2026-03-01T09:01:00.000Z,1`,
        // OWASP CSV injection: a recipient that looks like a formula is written as text.
        `${ann},00000000-0000-4000-8000-000000000002,hr_escalation,'=hr@corp.example,hr,failed,"550 no, such ""mailbox""",2026-03-02T09:00:00.000Z,,2`,
      ],
      [
        `${bea},00000000-0000-4000-8000-000000000003,tasks,3@corp.example,person,sent,,2026-03-03T09:00:00.000Z,2026-03-03T09:01:00.000Z,3`,
      ],
    ];
    expect(lines).toEqual([
      FOLLOW_UP_HEADER.join(','),
      ...(ann < bea ? [...annRows, ...beaRows] : [...beaRows, ...annRows]),
      '',
    ]);
    const asked = followUps.followUpOfPeople.mock.calls.flatMap(([people]) => people as string[]);
    expect(asked).toEqual(stored.map((s) => s.row.personId).sort());
  });

  it('writes a valid, signed, empty export when nothing matches', async () => {
    const { result, zip } = await exportAll(exporterFor(repositoryOver([]).repository));
    const files = await unzip(zip);
    expect(result.count).toBe(0);
    expect([...files.keys()]).toEqual([
      'index.csv',
      'follow-up.csv',
      'manifest.json',
      'manifest.json.p7s',
    ]);
    expect(files.get('follow-up.csv')!.toString('utf8')).toBe(`${FOLLOW_UP_HEADER.join(',')}\r\n`);
    expect(followUps.followUpOfPeople).not.toHaveBeenCalled();
  });

  it('stops, and cuts the output off, when a stored PDF no longer matches its SHA-256', async () => {
    const stored = storedAttestations(5);
    stored[3].pdf = Buffer.from(stored[3].pdf);
    stored[3].pdf[20] ^= 0xff;
    const sut = exporterFor(repositoryOver(stored).repository);
    const out = new PassThrough();
    out.resume();
    const closed = new Promise((resolve) => out.on('close', resolve));
    await expect(
      sut.write({ exportId: 'x', filters: NO_FILTERS, generatedAt: new Date() }, out),
    ).rejects.toThrow(StoredAttestationCorrupt);
    await closed;
    expect(out.destroyed).toBe(true);
    expect(sealer.signDetached).not.toHaveBeenCalled();
  });

  it('refuses a selection of more PDFs than one export holds, naming how to narrow it', async () => {
    const repository = repositoryOver([]).repository;
    const sut = exporterFor(repository);
    repository.count.mockResolvedValueOnce(EXPORT_MAX_ATTESTATIONS);
    await expect(sut.count(NO_FILTERS)).resolves.toBe(EXPORT_MAX_ATTESTATIONS);

    repository.count.mockResolvedValueOnce(EXPORT_MAX_ATTESTATIONS + 1);
    const refused = sut.count(NO_FILTERS);
    await expect(refused).rejects.toThrow(ExportTooLarge);
    // An ExportFiltersInvalid: the form, the API and the CLI show it as a filter to change.
    await expect(refused).rejects.toThrow(ExportFiltersInvalid);
    await expect(refused).rejects.toThrow(
      'These filters select 100,001 sealed PDFs; one export holds at most 100,000 PDFs. Choose a shorter period, a department or a control, and export in parts.',
    );
  });

  it('resolves a control through the control map, and refuses an unknown one', () => {
    const sut = exporterFor(repositoryOver([]).repository);
    controls.subjectsFor.mockReturnValueOnce([{ kind: RequirementKind.Document, subject: 'nda' }]);
    expect(sut.selection({ ...NO_FILTERS, control: 'iso27001-a.6.6' }).subjects).toEqual([
      { kind: 'signature', documentId: 'nda' },
    ]);
    controls.subjectsFor.mockImplementationOnce(() => {
      throw new ControlNotFound();
    });
    expect(() => sut.selection({ ...NO_FILTERS, control: 'nope' })).toThrow(ExportFiltersInvalid);
  });
});
