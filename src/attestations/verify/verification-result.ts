import type { AttestationEvidence } from '../attestation-evidence';
import type { ComplianceSummaryRecord } from '../compliance-summary-record';

/** Why a file is refused: one reason per check, so a person knows what happened to it. */
export type VerificationFailure =
  | 'too-large'
  | 'not-a-pdf'
  | 'truncated'
  | 'unsigned'
  | 'multiple-signatures'
  | 'byte-range-invalid'
  | 'resaved'
  | 'incremental-update'
  | 'bytes-appended'
  | 'signature-malformed'
  | 'foreign-certificate'
  | 'digest-mismatch'
  | 'signature-invalid'
  | 'timestamp-invalid'
  | 'evidence-missing'
  | 'evidence-invalid'
  | 'unreadable'
  | 'over-object-limit'
  | 'over-decompression-limit'
  | 'unbounded-compression'
  | 'over-time-limit'
  | 'over-complexity-limit'
  | 'pdf-malformed'
  | 'signature-dictionary-malformed'
  | 'signature-field-invalid';

export const VERIFICATION_MESSAGES: Readonly<Record<VerificationFailure, string>> = {
  'too-large': 'The file is larger than an attestation PDF can be.',
  'not-a-pdf': 'The file is not a PDF.',
  truncated: 'The PDF is incomplete: it ends before the end its seal covers.',
  unsigned: 'The PDF carries no seal.',
  'multiple-signatures': 'The PDF carries more than one signature; an Attest PDF has exactly one.',
  'byte-range-invalid': 'The seal’s byte range is malformed.',
  resaved:
    'The PDF was saved again after sealing: its layout no longer matches the sealed byte range.',
  'incremental-update': 'The PDF was changed after sealing: an update was appended to it.',
  'bytes-appended': 'Bytes were added after the end of the sealed PDF.',
  'signature-malformed': 'The seal’s signature cannot be read.',
  'foreign-certificate': 'The PDF was sealed with a certificate that is not this Attest’s seal.',
  'digest-mismatch': 'The PDF was altered after sealing: its content no longer matches the seal.',
  'signature-invalid': 'The seal’s signature does not verify with the seal certificate.',
  'timestamp-invalid': 'The seal’s timestamp does not match its signature.',
  'evidence-missing': 'The sealed PDF holds no evidence.json attachment.',
  'evidence-invalid': 'The sealed PDF’s evidence.json cannot be read.',
  unreadable: 'The PDF could not be read.',
  'over-object-limit':
    'The PDF holds far more objects than any attestation PDF, so it was not checked further.',
  'over-decompression-limit':
    'The PDF’s compressed data expands to far more than any attestation PDF holds, so it was not checked further.',
  'unbounded-compression':
    'The PDF uses a kind of compression that attestation PDFs never use, so it was not checked further.',
  'over-complexity-limit':
    'The PDF’s objects are far larger or more numerous than any attestation PDF’s, so it was not checked further.',
  'over-time-limit':
    'Checking the PDF took far longer than any attestation PDF needs, so it was stopped.',
  'pdf-malformed':
    'The PDF is malformed: some of its objects do not follow the PDF syntax, so PDF readers reject it.',
  'signature-dictionary-malformed':
    'The seal’s signature dictionary is malformed (a broken or repeated entry), so other PDF tools reject it.',
  'signature-field-invalid':
    'The PDF does not have exactly one signature field pointing at its seal.',
};

/** A sealed attestation that verified. The caller still matches it against the database. */
export interface ValidVerification extends SealFacts {
  readonly valid: true;
  readonly kind: 'attestation';
  readonly attestationId: string;
  /** The embedded evidence.json as parsed, to compare with the stored record. */
  readonly evidence: AttestationEvidence;
}

/** What every intact sealed file has, whatever it holds. */
export interface SealFacts {
  /** SHA-256 (hex) of the whole file, to match a stored attestation. */
  readonly fileSha256: string;
  /** PAdES baseline level: B-T when a signature timestamp verified. */
  readonly level: 'B-B' | 'B-T';
  /** The signature dictionary's /M; the signer's claim, not a trusted time. */
  readonly sealedAt: Date | undefined;
  /** The RFC 3161 genTime, for B-T. */
  readonly timestampedAt: Date | undefined;
  readonly certificate: { readonly subject: string; readonly fingerprintSha256: string };
}

/**
 * A sealed compliance summary that verified. Summaries are made on demand and not stored:
 * the pinned seal over the whole file, its attached record included, is what vouches for it.
 */
export interface ValidSummaryVerification extends SealFacts {
  readonly valid: true;
  readonly kind: 'compliance-summary';
  readonly summary: ComplianceSummaryRecord;
}

export interface InvalidVerification {
  readonly valid: false;
  readonly reason: VerificationFailure;
  readonly message: string;
  /** SHA-256 (hex) of the file, when it was read at all. */
  readonly fileSha256: string | undefined;
}

export type VerificationResult = ValidVerification | InvalidVerification;

/** Any sealed file Attest issues: an attestation or a compliance summary. */
export type SealedFileResult = ValidVerification | ValidSummaryVerification | InvalidVerification;

export function refused(reason: VerificationFailure, fileSha256?: string): InvalidVerification {
  return { valid: false, reason, message: VERIFICATION_MESSAGES[reason], fileSha256 };
}
