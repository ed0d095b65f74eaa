import { Deadline } from '../attestations/verify/pdf-preflight';
import {
  EXPORT_MAX_ATTESTATIONS,
  EXPORT_MAX_FOLLOW_UP_BYTES,
  EXPORT_MAX_PDF_BYTES,
  EXPORT_OTHER_FILES,
} from './export-manifest';

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

/**
 * How much work checking one export ZIP may do, decided before any file in it is read. Each
 * limit follows from the most an export holds (EXPORT_MAX_ATTESTATIONS, EXPORT_MAX_PDF_BYTES),
 * so an export Attest wrote always fits; a ZIP past one is not an Attest export.
 */
export interface ZipVerificationBudget {
  /** Entries in the central directory, as its end record counts them. */
  readonly maxEntries: number;
  /** manifest.json as its header says it inflates: it is read before its signature is checked. */
  readonly maxManifestBytes: number;
  /** Bytes that reading the entries may produce (inflated or stored), all entries together. */
  readonly maxDecompressedBytes: number;
  /** Processor time of the checking thread over the whole archive, every PDF's check included. */
  readonly maxMilliseconds: number;
}

/** Room for files a later export format may add, so its ZIPs still open here. */
const ENTRY_MARGIN = 1_000;
/**
 * One file as manifest.json lists it takes 191 bytes at most (a 53-character path, an 8-digit
 * size, a SHA-256 and the indentation); the rest (filters, organisation, seal subject) stays
 * under a few kilobytes.
 */
const MANIFEST_BYTES_PER_FILE = 256;
const MANIFEST_FIXED_BYTES = 64 * 1024;

const MAX_ENTRIES = EXPORT_MAX_ATTESTATIONS + EXPORT_OTHER_FILES + ENTRY_MARGIN;

export const ZIP_VERIFICATION_BUDGET: ZipVerificationBudget = Object.freeze({
  maxEntries: MAX_ENTRIES,
  maxManifestBytes: MANIFEST_FIXED_BYTES + MAX_ENTRIES * MANIFEST_BYTES_PER_FILE,
  // The PDFs, follow-up.csv, and up to 4 GiB for index.csv (a few hundred bytes a line), the
  // manifest and its signature.
  maxDecompressedBytes: EXPORT_MAX_PDF_BYTES + EXPORT_MAX_FOLLOW_UP_BYTES + 4 * GIB,
  // Measured on the 2-core machine: 16 ms of processor time per sealed PDF (an export of 60 seeded
  // attestations), so 100,000 take about 27 minutes. A ZIP that is not a sealed export is refused
  // after its central directory and manifest: seconds.
  maxMilliseconds: 2 * 60 * 60_000,
});

/** Why a ZIP is refused for its size or cost rather than for its content. */
export type ZipBudgetFailure =
  | 'over-entry-limit'
  | 'manifest-too-large'
  | 'file-too-large'
  | 'over-decompression-limit'
  | 'over-time-limit';

const bytes = (n: number) =>
  n >= GIB ? `${+(n / GIB).toFixed(1)} GiB` : `${+(n / MIB).toFixed(1)} MiB`;
const count = (n: number) => n.toLocaleString('en');

/** Past a limit: refused with the limit's own reason, in words. */
export class OverZipBudget extends Error {
  constructor(
    readonly reason: ZipBudgetFailure,
    message: string,
  ) {
    super(message);
    this.name = 'OverZipBudget';
  }
}

/**
 * The budget of one check as it is spent: entries, bytes read out of the entries, and
 * processor time. Every limit is known before the first file is read; the bytes are counted
 * again as they arrive, and the deadline is checked between chunks and between files.
 */
export class ZipMeter {
  private decompressed = 0;
  readonly deadline: Deadline;

  constructor(
    readonly budget: ZipVerificationBudget,
    clock?: () => number,
  ) {
    this.deadline = new Deadline(budget.maxMilliseconds, clock);
  }

  /** From the end of central directory record, before a single entry is read. */
  checkEntryCount(entries: number): void {
    if (entries > this.budget.maxEntries) {
      throw new OverZipBudget(
        'over-entry-limit',
        `The ZIP lists ${count(entries)} files; an Attest export holds at most ${count(this.budget.maxEntries)}, so it was not checked further.`,
      );
    }
  }

  /** From the sizes the central directory declares, before any entry's data is read. */
  checkDeclaredSizes(declared: readonly number[]): void {
    const total = declared.reduce((sum, size) => sum + size, 0);
    if (total > this.budget.maxDecompressedBytes) throw this.overDecompression(total);
  }

  checkManifestSize(size: number): void {
    if (size > this.budget.maxManifestBytes) {
      throw new OverZipBudget(
        'manifest-too-large',
        `manifest.json expands to ${bytes(size)}; an Attest export’s manifest is at most ${bytes(this.budget.maxManifestBytes)}, so it was not read.`,
      );
    }
  }

  /** A file past its own limit (a PDF over the verification limit, an oversized signature). */
  checkFileSize(path: string, size: number, max: number): void {
    if (size > max) {
      throw new OverZipBudget(
        'file-too-large',
        `${path} expands to ${bytes(size)}; no file of an Attest export is over ${bytes(max)}, so it was not read.`,
      );
    }
  }

  /** Counts bytes as an entry's data arrives. */
  spend(chunk: number): void {
    this.decompressed += chunk;
    if (this.decompressed > this.budget.maxDecompressedBytes) {
      throw this.overDecompression(this.decompressed);
    }
    this.deadline.check();
  }

  private overDecompression(total: number): OverZipBudget {
    return new OverZipBudget(
      'over-decompression-limit',
      `The ZIP’s files expand to ${bytes(total)}, more than an Attest export ever holds (${bytes(this.budget.maxDecompressedBytes)}), so it was not checked further.`,
    );
  }
}

/** What a refusal says when the deadline passed. */
export const OVER_TIME_MESSAGE =
  'Checking the ZIP took far longer than any Attest export needs, so it was stopped.';
