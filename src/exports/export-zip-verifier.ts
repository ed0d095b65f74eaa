import { createHash, type X509Certificate } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type Entry, openPromise, type ZipFile } from 'yauzl';
import { VERIFY_MAX_BYTES } from '../attestations/attestation-verification.service';
import { SEAL_KEYS, type SealKeys } from '../attestations/seal/seal-keys';
import { AttestationVerifier } from '../attestations/verify/attestation-verifier';
import { OverBudget } from '../attestations/verify/pdf-preflight';
import { verifyDetachedSignature } from './detached-signature.verification';
import {
  OVER_TIME_MESSAGE,
  OverZipBudget,
  type ZipBudgetFailure,
  ZipMeter,
  ZIP_VERIFICATION_BUDGET,
  type ZipVerificationBudget,
} from './export-zip-budget';
import { allEntries, digestOf, EntryDamaged, readAll, Unreadable } from './export-zip-reader';
import {
  ATTESTATIONS_DIR,
  type ExportManifest,
  MANIFEST_PATH,
  MANIFEST_SIGNATURE_PATH,
  type ManifestFile,
  parseManifest,
} from './export-manifest';

export type ExportVerificationFailure =
  | 'not-a-zip'
  | 'duplicate-file'
  | 'manifest-missing'
  | 'manifest-signature-missing'
  | 'manifest-signature-invalid'
  | 'manifest-foreign-certificate'
  | 'manifest-invalid'
  | 'file-missing'
  | 'file-unexpected'
  | 'count-mismatch'
  | 'size-mismatch'
  | 'digest-mismatch'
  | 'pdf-invalid'
  | 'pdf-misnamed'
  | ZipBudgetFailure;

export interface ZipVerifyOptions {
  /** Limits on the work; ZIP_VERIFICATION_BUDGET unless a caller narrows them. */
  readonly budget?: Partial<ZipVerificationBudget>;
}

export type ExportVerification =
  | {
      readonly valid: true;
      readonly exportId: string;
      readonly generatedAt: string;
      readonly count: number;
      readonly files: number;
      readonly sealSubject: string;
      readonly sealFingerprint: string;
    }
  | {
      readonly valid: false;
      readonly reason: ExportVerificationFailure;
      readonly message: string;
    };

/** Attest's detached CMS of the manifest, with its certificate chain, is a few kilobytes. */
const SIGNATURE_MAX_BYTES = 1024 * 1024;
const PDF_NAME =
  /^attestations\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.pdf$/;

const refused = (reason: ExportVerificationFailure, message: string): ExportVerification => ({
  valid: false,
  reason,
  message,
});

/**
 * Checks an export ZIP as an auditor would, with nothing but the file and the seal
 * certificates: the manifest's detached signature, then every file's size and SHA-256 against
 * the manifest, no file missing or added, and each PDF's own seal. Reports the first problem.
 */
@Injectable()
export class ExportZipVerifier {
  private readonly trusted: ReadonlyMap<string, X509Certificate>;

  constructor(
    @Inject(SEAL_KEYS) keys: Pick<SealKeys, 'trusted'>,
    private readonly pdfs: AttestationVerifier,
  ) {
    this.trusted = new Map(keys.trusted.map((cert) => [cert.fingerprint256, cert]));
  }

  async verify(path: string, options: ZipVerifyOptions = {}): Promise<ExportVerification> {
    const meter = new ZipMeter({ ...ZIP_VERIFICATION_BUDGET, ...options.budget });
    let zip: ZipFile;
    try {
      zip = await openPromise(path, {
        lazyEntries: true,
        autoClose: false,
        validateEntrySizes: true,
        strictFileNames: true,
      });
    } catch {
      return refused('not-a-zip', 'The file is not a ZIP archive, or it is damaged.');
    }
    try {
      return await this.check(zip, meter);
    } catch (error) {
      if (error instanceof OverZipBudget) return refused(error.reason, error.message);
      if (error instanceof OverBudget) return refused('over-time-limit', OVER_TIME_MESSAGE);
      if (error instanceof Unreadable) return refused('not-a-zip', error.message);
      if (error instanceof EntryDamaged) return refused('digest-mismatch', error.message);
      throw error;
    } finally {
      zip.close();
    }
  }

  private async check(zip: ZipFile, meter: ZipMeter): Promise<ExportVerification> {
    // Everything a ZIP can cost is decided here, before one byte of any file is read: the
    // end record's count before the central directory, the declared sizes before the data
    // (yauzl's validateEntrySizes stops an entry at the size it declared).
    meter.checkEntryCount(zip.entryCount);
    const listed = await allEntries(zip, meter);
    meter.checkDeclaredSizes(listed.map((e) => e.uncompressedSize));
    const entries = new Map<string, Entry>();
    for (const entry of listed) {
      if (entries.has(entry.fileName)) {
        return refused('duplicate-file', `${entry.fileName} is in the ZIP twice.`);
      }
      entries.set(entry.fileName, entry);
    }
    const manifestEntry = entries.get(MANIFEST_PATH);
    if (!manifestEntry) return refused('manifest-missing', 'The ZIP holds no manifest.json.');
    const signatureEntry = entries.get(MANIFEST_SIGNATURE_PATH);
    if (!signatureEntry) {
      return refused('manifest-signature-missing', 'The ZIP holds no manifest.json.p7s.');
    }
    meter.checkManifestSize(manifestEntry.uncompressedSize);
    const manifestBytes = await readAll(zip, manifestEntry, meter, meter.budget.maxManifestBytes);
    const signature = await readAll(zip, signatureEntry, meter, SIGNATURE_MAX_BYTES);
    const sealed = verifyDetachedSignature(signature, manifestBytes, this.trusted);
    if (!sealed.valid) {
      return sealed.problem === 'foreign-certificate'
        ? refused(
            'manifest-foreign-certificate',
            'manifest.json was signed with a certificate that is not this Attest’s seal.',
          )
        : refused(
            'manifest-signature-invalid',
            'manifest.json does not match its signature manifest.json.p7s: it was changed after the export.',
          );
    }
    const manifest = parseManifest(manifestBytes);
    meter.deadline.check();
    if (!manifest) {
      return refused('manifest-invalid', 'manifest.json is not an Attest export manifest.');
    }
    const problem = this.checkListing(manifest, entries);
    if (problem) return problem;
    for (const file of manifest.files) {
      const result = await this.checkFile(zip, entries.get(file.path)!, file, meter);
      if (result) return result;
      meter.deadline.check();
    }
    return {
      valid: true,
      exportId: manifest.exportId,
      generatedAt: manifest.generatedAt,
      count: manifest.count,
      files: manifest.files.length,
      sealSubject: sealed.certificate.subject.split('\n').join(', '),
      sealFingerprint: sealed.certificate.fingerprint256,
    };
  }

  private checkListing(
    manifest: ExportManifest,
    entries: ReadonlyMap<string, Entry>,
  ): ExportVerification | undefined {
    const listed = new Set(manifest.files.map((f) => f.path));
    if (listed.size !== manifest.files.length || listed.has(MANIFEST_PATH)) {
      return refused('manifest-invalid', 'manifest.json lists a file twice.');
    }
    const missing = manifest.files.find((f) => !entries.has(f.path));
    if (missing) {
      return refused(
        'file-missing',
        `${missing.path} is listed in manifest.json but not in the ZIP.`,
      );
    }
    const extra = [...entries.keys()].find(
      (name) => name !== MANIFEST_PATH && name !== MANIFEST_SIGNATURE_PATH && !listed.has(name),
    );
    if (extra) {
      return refused('file-unexpected', `${extra} is in the ZIP but not listed in manifest.json.`);
    }
    const pdfs = manifest.files.filter((f) => f.path.startsWith(ATTESTATIONS_DIR)).length;
    if (pdfs !== manifest.count) {
      return refused(
        'count-mismatch',
        `manifest.json counts ${manifest.count} attestations but lists ${pdfs} PDFs.`,
      );
    }
    return undefined;
  }

  private async checkFile(
    zip: ZipFile,
    entry: Entry,
    file: ManifestFile,
    meter: ZipMeter,
  ): Promise<ExportVerification | undefined> {
    if (entry.uncompressedSize !== file.size) {
      return refused(
        'size-mismatch',
        `${file.path} is ${entry.uncompressedSize} bytes; manifest.json says ${file.size}.`,
      );
    }
    const pdfId = PDF_NAME.exec(file.path)?.[1];
    if (file.path.startsWith(ATTESTATIONS_DIR) && !pdfId) {
      return refused(
        'pdf-misnamed',
        `${file.path} is not named attestations/<attestation id>.pdf.`,
      );
    }
    if (!pdfId) {
      const digest = await digestOf(zip, entry, meter);
      return digest === file.sha256 ? undefined : changed(file.path);
    }
    const bytes = await readAll(zip, entry, meter, VERIFY_MAX_BYTES);
    if (createHash('sha256').update(bytes).digest('hex') !== file.sha256) return changed(file.path);
    const result = await this.pdfs.verify(bytes, { maxBytes: VERIFY_MAX_BYTES });
    if (!result.valid) return refused('pdf-invalid', `${file.path}: ${result.message}`);
    if (result.attestationId !== pdfId) {
      return refused('pdf-misnamed', `${file.path} holds attestation ${result.attestationId}.`);
    }
    return undefined;
  }
}

const changed = (path: string) =>
  refused(
    'digest-mismatch',
    `${path} does not match its SHA-256 in manifest.json: it was changed.`,
  );
