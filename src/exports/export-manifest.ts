import { csvCell } from '../common/csv/csv';
import type { PersonFollowUpRow } from '../notifications/notification-history.reader';
import type { ExportedAttestation } from './export-attestation.repository';
import type { ExportFilters } from './export-filters';

export const MANIFEST_FORMAT = 'attest-export/1';
export const MANIFEST_PATH = 'manifest.json';
export const MANIFEST_SIGNATURE_PATH = 'manifest.json.p7s';
export const INDEX_PATH = 'index.csv';
export const FOLLOW_UP_PATH = 'follow-up.csv';
export const ATTESTATIONS_DIR = 'attestations/';

/**
 * The most attestation PDFs one export holds; a larger selection is refused, asking for
 * narrower filters. The verifier's limits follow from it, so every export Attest writes verifies.
 */
export const EXPORT_MAX_ATTESTATIONS = 100_000;
/**
 * What an export holds besides its PDFs: index.csv, follow-up.csv, manifest.json and
 * manifest.json.p7s.
 */
export const EXPORT_OTHER_FILES = 4;
/**
 * The most PDF bytes one export holds: 100,000 PDFs of 600 KB, ten times the 59 KB average
 * measured. A larger export is stopped, asking for narrower filters.
 */
export const EXPORT_MAX_PDF_BYTES = 60 * 1024 * 1024 * 1024;

/**
 * The most bytes follow-up.csv holds: about 600,000 messages at a typical line's 220 bytes. It is
 * built in memory like index.csv, so a larger history is stopped, asking for narrower filters.
 */
export const EXPORT_MAX_FOLLOW_UP_BYTES = 128 * 1024 * 1024;

/** One file of the ZIP as the manifest lists it. */
export interface ManifestFile {
  readonly path: string;
  readonly size: number;
  /** SHA-256 (hex) of the file's bytes. */
  readonly sha256: string;
}

/**
 * manifest.json: what the ZIP holds and the digest of every file in it. manifest.json.p7s is a
 * detached CMS signature of exactly these bytes with the seal, so the manifest and through it
 * every file can be checked with openssl alone.
 */
export interface ExportManifest {
  readonly format: typeof MANIFEST_FORMAT;
  readonly exportId: string;
  readonly generatedAt: string;
  readonly organisation: string;
  readonly filters: ExportFilters;
  /** How many attestation PDFs the ZIP holds. */
  readonly count: number;
  readonly seal: { readonly subject: string; readonly fingerprintSha256: string };
  /** Every file except manifest.json and its signature, in the order they are in the ZIP. */
  readonly files: readonly ManifestFile[];
}

export const INDEX_HEADER = [
  'attestation_id',
  'kind',
  'person_id',
  'employee_number',
  'name',
  'email',
  'department',
  'document_id',
  'version',
  'signed_at',
  'sha256',
  'file',
] as const;

export const pdfPath = (attestationId: string) => `${ATTESTATIONS_DIR}${attestationId}.pdf`;

const csvLine = (cells: readonly unknown[]) => `${cells.map(csvCell).join(',')}\r\n`;

export const indexHeaderLine = () => csvLine(INDEX_HEADER);

/** index.csv's line for one attestation (RFC 4180, formula-safe cells). */
export function indexLine(a: ExportedAttestation): string {
  return csvLine([
    a.id,
    a.kind,
    a.personId,
    a.employeeNumber,
    a.fullName,
    a.email,
    a.department,
    a.documentId,
    a.version,
    a.signedAt,
    a.sha256,
    pdfPath(a.id),
  ]);
}

/**
 * follow-up.csv: the reminders and escalations concerning each person in the export (SOC 2
 * CC1.5, follow-up evidenced), one line per (person, message), by person, then queued time.
 */
export const FOLLOW_UP_HEADER = [
  'person_id',
  'notification_id',
  'kind',
  'recipient',
  'recipient_role',
  'status',
  'status_reason',
  'queued_at',
  'sent_at',
  'tasks',
] as const;

export const followUpHeaderLine = () => csvLine(FOLLOW_UP_HEADER);

/** follow-up.csv's line for one message concerning one person (formula-safe cells). */
export function followUpLine(m: PersonFollowUpRow): string {
  return csvLine([
    m.personId,
    m.notificationId,
    m.kind,
    m.recipientEmail,
    m.recipientRole,
    m.status,
    m.statusReason,
    m.queuedAt,
    m.sentAt,
    m.itemCount,
  ]);
}

/** The exact bytes of manifest.json: two-space indented UTF-8 JSON, ending in a newline. */
export function manifestBytes(manifest: ExportManifest): Buffer {
  return Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
}

/** Reads manifest.json back, checking its shape; undefined when it is not one. */
export function parseManifest(bytes: Buffer): ExportManifest | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  const m = parsed as Partial<ExportManifest> | null;
  if (
    !m ||
    m.format !== MANIFEST_FORMAT ||
    typeof m.exportId !== 'string' ||
    typeof m.count !== 'number' ||
    !Array.isArray(m.files)
  ) {
    return undefined;
  }
  const wellFormed = m.files.every(
    (f: Partial<ManifestFile> | null) =>
      !!f &&
      typeof f.path === 'string' &&
      Number.isSafeInteger(f.size) &&
      typeof f.sha256 === 'string' &&
      /^[0-9a-f]{64}$/.test(f.sha256),
  );
  return wellFormed ? (m as ExportManifest) : undefined;
}
