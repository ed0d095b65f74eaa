import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { ZipFile } from 'yauzl';
import {
  deflatedEntry,
  manyEntriesZip,
  type RawZipEntry,
  storedEntry,
  writeRawZip,
  zerosBombEntry,
} from '../../test/factories/hostile-zip.factory';
import { sealablePdf } from '../../test/factories/sealable-pdf.factory';
import { sealKeys } from '../../test/factories/seal-key.factory';
import { VERIFY_MAX_BYTES } from '../attestations/attestation-verification.service';
import { DocumentSealer } from '../attestations/seal/document-sealer';
import type { SealKeys } from '../attestations/seal/seal-keys';
import { AttestationVerifier } from '../attestations/verify/attestation-verifier';
import { Clock } from '../common/clock';
import { NO_FILTERS } from './export-filters';
import {
  ATTESTATIONS_DIR,
  EXPORT_MAX_ATTESTATIONS,
  EXPORT_OTHER_FILES,
  FOLLOW_UP_HEADER,
  FOLLOW_UP_PATH,
  INDEX_PATH,
  MANIFEST_FORMAT,
  MANIFEST_PATH,
  MANIFEST_SIGNATURE_PATH,
  type ManifestFile,
  manifestBytes,
} from './export-manifest';
import { ZIP_VERIFICATION_BUDGET } from './export-zip-budget';
import { ExportZipVerifier } from './export-zip-verifier';

const MIB = 1024 * 1024;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
/** What the manifest says a bomb's digest is: the bomb is refused before it would matter. */
const ANY_SHA256 = 'f'.repeat(64);

type ReadCallback = (error: Error | null, stream: Readable) => void;

/**
 * Which entries the verifier opened, and how many bytes their streams handed it after
 * inflating: what a hostile ZIP made it do. Counted from the stream's own 'data' events, which
 * a reader pulling with read() also fires, so the reading is not changed by watching it.
 */
function watchEntryReads(): { readonly opened: string[]; readonly bytes: () => number } {
  const opened: string[] = [];
  let bytes = 0;
  const open = Object.getOwnPropertyDescriptor(ZipFile.prototype, 'openReadStream')!.value as (
    this: ZipFile,
    ...args: unknown[]
  ) => void;
  jest.spyOn(ZipFile.prototype, 'openReadStream').mockImplementation(function (
    this: ZipFile,
    ...args: unknown[]
  ) {
    const entry = args[0] as { fileName: string };
    const callback = args.at(-1) as ReadCallback;
    opened.push(entry.fileName);
    const counted: ReadCallback = (error, stream) => {
      if (stream) {
        const emit = stream.emit.bind(stream);
        stream.emit = (event: string | symbol, ...rest: unknown[]) => {
          if (event === 'data') bytes += (rest[0] as Buffer).length;
          return emit(event, ...rest);
        };
      }
      callback(error, stream);
    };
    open.apply(this, [...args.slice(0, -1), counted]);
  });
  return { opened, bytes: () => bytes };
}

describe(ExportZipVerifier.name, () => {
  let dir: string;
  let keys: SealKeys;
  let sealer: DocumentSealer;
  let sut: ExportZipVerifier;
  let sealedPdf: { id: string; bytes: Buffer };
  let n = 0;
  const path = () => join(dir, `${++n}.zip`);

  /**
   * A ZIP whose manifest lists `files` as the headers declare them, signed by the seal: past
   * the signature check, the verifier trusts what the manifest says it will read.
   */
  async function sealedExport(files: readonly RawZipEntry[], sha256s: string[]) {
    const listed: ManifestFile[] = files.map((f, i) => ({
      path: f.name,
      size: f.uncompressedSize,
      sha256: sha256s[i],
    }));
    const manifest = manifestBytes({
      format: MANIFEST_FORMAT,
      exportId: 'a1b2c3d4-0000-4000-8000-000000000000',
      generatedAt: '2026-12-01T00:00:00.000Z',
      organisation: 'Example Ltd',
      filters: NO_FILTERS,
      count: files.filter((f) => f.name.startsWith(ATTESTATIONS_DIR)).length,
      seal: { subject: 'CN=Test', fingerprintSha256: 'x' },
      files: listed,
    });
    const signature = await sealer.signDetached(manifest);
    const zip = path();
    writeRawZip(zip, [
      ...files,
      deflatedEntry(MANIFEST_PATH, manifest),
      storedEntry(MANIFEST_SIGNATURE_PATH, signature),
    ]);
    return zip;
  }

  const index = (text = 'attestation_id\r\n') => Buffer.from(text);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'attest-zip-budget-'));
    keys = await sealKeys();
    sealer = new DocumentSealer(keys, new Clock(), null);
    sut = new ExportZipVerifier(keys, new AttestationVerifier(keys));
    const pdf = await sealablePdf();
    sealedPdf = {
      id: pdf.attestationId,
      bytes: await sealer.seal(pdf.doc, { reason: 'Attestation', name: 'Example Ltd' }),
    };
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  afterEach(() => jest.restoreAllMocks());

  it('accepts a sealed export within every limit (the hostile ZIPs below differ from it)', async () => {
    const pdfName = `${ATTESTATIONS_DIR}${sealedPdf.id}.pdf`;
    const zip = await sealedExport(
      [storedEntry(pdfName, sealedPdf.bytes), deflatedEntry(INDEX_PATH, index())],
      [sha256(sealedPdf.bytes), sha256(index())],
    );
    await expect(sut.verify(zip)).resolves.toMatchObject({ valid: true, count: 1, files: 2 });
  });

  it('checks follow-up.csv against the manifest, and still accepts exports written before it', async () => {
    const pdf = storedEntry(`${ATTESTATIONS_DIR}${sealedPdf.id}.pdf`, sealedPdf.bytes);
    const followUp = Buffer.from(`${FOLLOW_UP_HEADER.join(',')}\r\n`);
    const digests = [sha256(sealedPdf.bytes), sha256(index())];
    const current = await sealedExport(
      [pdf, deflatedEntry(INDEX_PATH, index()), deflatedEntry(FOLLOW_UP_PATH, followUp)],
      [...digests, sha256(followUp)],
    );
    await expect(sut.verify(current)).resolves.toMatchObject({ valid: true, files: 3 });

    const older = await sealedExport([pdf, deflatedEntry(INDEX_PATH, index())], digests);
    await expect(sut.verify(older)).resolves.toMatchObject({ valid: true, files: 2 });

    const edited = Buffer.from(followUp.toString().replace('person_id', 'person_ID'));
    const tampered = await sealedExport(
      [pdf, deflatedEntry(INDEX_PATH, index()), deflatedEntry(FOLLOW_UP_PATH, edited)],
      [...digests, sha256(followUp)],
    );
    await expect(sut.verify(tampered)).resolves.toMatchObject({
      valid: false,
      reason: 'digest-mismatch',
      message: `${FOLLOW_UP_PATH} does not match its SHA-256 in manifest.json: it was changed.`,
    });
  });

  describe('the entry count, from the end record before the central directory is read', () => {
    it('derives the limit from the most an export holds, with a margin', () => {
      expect(ZIP_VERIFICATION_BUDGET.maxEntries).toBeGreaterThan(
        EXPORT_MAX_ATTESTATIONS + EXPORT_OTHER_FILES,
      );
      expect(ZIP_VERIFICATION_BUDGET.maxEntries).toBeLessThan(EXPORT_MAX_ATTESTATIONS * 1.05);
    });

    it('refuses a ZIP of more files than any export, reading none of its entries', async () => {
      const zip = path();
      const count = ZIP_VERIFICATION_BUDGET.maxEntries + 1;
      manyEntriesZip(zip, count);
      const readEntry = jest.spyOn(ZipFile.prototype, 'readEntry');

      const result = await sut.verify(zip);

      expect(result).toEqual({
        valid: false,
        reason: 'over-entry-limit',
        message: `The ZIP lists ${count.toLocaleString('en')} files; an Attest export holds at most ${ZIP_VERIFICATION_BUDGET.maxEntries.toLocaleString('en')}, so it was not checked further.`,
      });
      expect(readEntry).not.toHaveBeenCalled();
    });
  });

  describe('manifest.json, read before its signature is checked', () => {
    it('refuses one that expands to 1 GiB without inflating a byte of it', async () => {
      const reads = watchEntryReads();
      const zip = path();
      writeRawZip(zip, [
        zerosBombEntry(MANIFEST_PATH, 1024),
        storedEntry(MANIFEST_SIGNATURE_PATH, Buffer.from('not a signature')),
      ]);

      const result = await sut.verify(zip);

      expect(result).toMatchObject({ valid: false, reason: 'manifest-too-large' });
      expect(result.valid || result.message).toMatch(
        /^manifest\.json expands to 1 GiB; .* at most/,
      );
      expect(reads.opened).toEqual([]);
    });

    it('stops one that claims 1 MiB but inflates to 1 GiB at the size it claims', async () => {
      const reads = watchEntryReads();
      const zip = path();
      writeRawZip(zip, [
        zerosBombEntry(MANIFEST_PATH, 1024, MIB),
        storedEntry(MANIFEST_SIGNATURE_PATH, Buffer.from('not a signature')),
      ]);

      const result = await sut.verify(zip);

      expect(result).toMatchObject({ valid: false, message: expect.stringContaining('damaged') });
      // yauzl's validateEntrySizes ends the stream once it passes what the headers claim.
      expect(reads.opened).toEqual([MANIFEST_PATH]);
      expect(reads.bytes()).toBeLessThanOrEqual(MIB);
    });
  });

  describe('decompressed bytes, all entries together', () => {
    it('refuses a ZIP whose files claim more than any export holds, before reading any', async () => {
      const reads = watchEntryReads();
      // 17 entries claiming 4 GiB each (0xffffffff would announce ZIP64): 68 GiB in all.
      const claims = Array.from({ length: 17 }, (_, i) =>
        zerosBombEntry(`attestations/${i}.pdf`, 1, 0xffff_fffe),
      );
      const zip = path();
      writeRawZip(zip, claims);

      const result = await sut.verify(zip);

      expect(result).toMatchObject({ valid: false, reason: 'over-decompression-limit' });
      expect(result.valid || result.message).toMatch(/^The ZIP’s files expand to 68 GiB/);
      expect(reads.opened).toEqual([]);
    });

    it('refuses a sealed manifest’s 1 GiB bomb past a narrower budget without inflating it', async () => {
      const bomb = zerosBombEntry(INDEX_PATH, 1024);
      const zip = await sealedExport([bomb], [ANY_SHA256]);
      const reads = watchEntryReads();

      const result = await sut.verify(zip, { budget: { maxDecompressedBytes: 64 * MIB } });

      expect(result).toMatchObject({ valid: false, reason: 'over-decompression-limit' });
      expect(reads.opened).toEqual([]);
    });

    it('refuses a listed PDF larger than any attestation as file-too-large, unread', async () => {
      const name = `${ATTESTATIONS_DIR}${sealedPdf.id}.pdf`;
      const bomb = zerosBombEntry(name, VERIFY_MAX_BYTES / MIB + 1);
      const zip = await sealedExport([bomb], [ANY_SHA256]);
      const reads = watchEntryReads();

      const result = await sut.verify(zip);

      expect(result).toMatchObject({ valid: false, reason: 'file-too-large' });
      expect(result.valid || result.message).toMatch(
        new RegExp(`^${name} expands to 21 MiB; no file of an Attest export is over 20 MiB`),
      );
      expect(reads.opened).toEqual([MANIFEST_PATH, MANIFEST_SIGNATURE_PATH]);
    });
  });

  it('stops at the deadline of processor time over the whole archive', async () => {
    const zip = await sealedExport([deflatedEntry(INDEX_PATH, index())], [sha256(index())]);
    await expect(sut.verify(zip, { budget: { maxMilliseconds: 0 } })).resolves.toEqual({
      valid: false,
      reason: 'over-time-limit',
      message: 'Checking the ZIP took far longer than any Attest export needs, so it was stopped.',
    });
  });
});
