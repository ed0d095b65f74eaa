import { createHash, type X509Certificate } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type * as pkijs from 'pkijs';
import type { AttestationEvidence } from '../attestation-evidence';
import { OID } from '../seal/cms-oids';
import { SEAL_KEYS, type SealKeys } from '../seal/seal-keys';
import {
  contentDigest,
  digestMatches,
  parseSignedData,
  signatureVerifies,
  signerCertificate,
  signingCertificateMatches,
} from './cms-signer.verification';
import { embeddedFile, hasSignatureDictionary } from './pdf-objects';
import {
  Deadline,
  OverBudget,
  preflight,
  VERIFICATION_BUDGET,
  type PdfIndex,
  type VerificationBudget,
} from './pdf-preflight';
import {
  endsWithEof,
  gapIsContents,
  hasPdfHeader,
  parsePdfDate,
  type ScannedSignature,
} from './pdf-signature.scanner';
import { PdfTooLarge } from './pdf-lexer';
import {
  checkSignatureDictionary,
  claimedSignatures,
  type SignatureDictionary,
} from './signature-dictionary';
import { verifySignatureTimestamp } from './signature-timestamp.verification';
import {
  COMPLIANCE_SUMMARY_FILE,
  type ComplianceSummaryRecord,
  parseComplianceSummaryRecord,
} from '../compliance-summary-record';
import { refused, type SealedFileResult, type VerificationResult } from './verification-result';

export interface VerifyOptions {
  /** Refuse anything larger before reading it (an upload limit). */
  readonly maxBytes: number;
  /** Limits on the work; VERIFICATION_BUDGET unless a caller narrows them. */
  readonly budget?: Partial<VerificationBudget>;
}

const EVIDENCE_FILE = 'evidence.json';

/**
 * Checks a PDF is an intact Attest attestation: exactly one seal, covering the whole file,
 * signed by a pinned seal certificate, carrying evidence.json. Pure: it reads no database;
 * the caller matches `fileSha256` and `evidence` against the stored attestation. Never throws.
 */
@Injectable()
export class AttestationVerifier {
  private readonly trusted: ReadonlyMap<string, X509Certificate>;

  constructor(@Inject(SEAL_KEYS) keys: Pick<SealKeys, 'trusted'>) {
    this.trusted = new Map(keys.trusted.map((cert) => [cert.fingerprint256, cert]));
  }

  async verify(bytes: Buffer, options: VerifyOptions): Promise<VerificationResult> {
    const result = await this.verifySealed(bytes, options);
    // Where only attestations belong (an export's PDFs), a summary holds no evidence.json.
    return result.valid && result.kind !== 'attestation'
      ? refused('evidence-missing', result.fileSha256)
      : result;
  }

  /**
   * Any sealed file Attest issues: an attestation (evidence.json, matched against the database
   * by the caller) or a compliance summary (compliance-summary.json, vouched for by the seal).
   */
  async verifySealed(bytes: Buffer, options: VerifyOptions): Promise<SealedFileResult> {
    const budget = { ...VERIFICATION_BUDGET, ...options.budget };
    const deadline = new Deadline(budget.maxMilliseconds);
    if (bytes.length > options.maxBytes) return refused('too-large');
    if (!hasPdfHeader(bytes)) return refused('not-a-pdf');
    const fileSha256 = createHash('sha256').update(bytes).digest('hex');
    try {
      return await this.check(bytes, fileSha256, budget, deadline);
    } catch (error) {
      if (error instanceof OverBudget) return refused(error.reason, fileSha256);
      if (error instanceof PdfTooLarge) return refused('over-complexity-limit', fileSha256);
      return refused('unreadable', fileSha256);
    }
  }

  /**
   * The preflight reads every object within the budget first; everything after works on what
   * it read, and nothing else parses or decodes the uploaded bytes.
   */
  private async check(
    bytes: Buffer,
    fileSha256: string,
    budget: VerificationBudget,
    deadline: Deadline,
  ): Promise<SealedFileResult> {
    const index = preflight(bytes, budget, deadline);
    const signatures = claimedSignatures(bytes, index);
    if (signatures.length > 1) return refused('multiple-signatures', fileSha256);
    if (signatures.length === 0) {
      if (!endsWithEof(bytes)) return refused('truncated', fileSha256);
      return refused(hasSignatureDictionary(index) ? 'resaved' : 'unsigned', fileSha256);
    }
    const layout = this.checkLayout(bytes, signatures[0]);
    if (layout) return refused(layout, fileSha256);
    const dictionary = checkSignatureDictionary(index, signatures[0], budget.maxSignatureBytes);
    if (typeof dictionary === 'string') return refused(dictionary, fileSha256);
    deadline.check();
    const result = await this.checkSeal(bytes, index, signatures[0], dictionary, fileSha256);
    deadline.check();
    return result;
  }

  /** ISO 32000-1 §12.8.1: the signed ranges are the whole file except /Contents. */
  private checkLayout(bytes: Buffer, signature: ScannedSignature) {
    const [start, firstLength, gapEnd, secondLength] = signature.byteRange;
    if (start !== 0 || firstLength <= 0 || gapEnd <= firstLength || secondLength < 0) {
      return 'byte-range-invalid' as const;
    }
    const end = gapEnd + secondLength;
    if (end > bytes.length) {
      // Cut short, or rewritten smaller; a complete file still ends with %%EOF.
      return endsWithEof(bytes) ? ('resaved' as const) : ('truncated' as const);
    }
    if (!gapIsContents(bytes, firstLength, gapEnd)) return 'resaved' as const;
    if (end < bytes.length) {
      // ISO 32000-1 §7.5.6: an incremental update appends a body, xref and trailer.
      const tail = bytes.toString('latin1', end);
      return /startxref|\bxref\b|\/Prev\b/.test(tail)
        ? ('incremental-update' as const)
        : ('bytes-appended' as const);
    }
    return undefined;
  }

  private async checkSeal(
    bytes: Buffer,
    index: PdfIndex,
    signature: ScannedSignature,
    dictionary: SignatureDictionary,
    fileSha256: string,
  ): Promise<SealedFileResult> {
    const [, firstLength, gapEnd, secondLength] = signature.byteRange;
    let signedData: pkijs.SignedData;
    try {
      signedData = parseSignedData(dictionary.contents);
    } catch {
      return refused('signature-malformed', fileSha256);
    }
    if (signedData.signerInfos.length !== 1) return refused('signature-malformed', fileSha256);
    const signerInfo = signedData.signerInfos[0];

    const certificate = signerCertificate(signedData, signerInfo);
    if (!certificate || !this.trusted.has(certificate.fingerprint256)) {
      return refused('foreign-certificate', fileSha256);
    }
    const digest = contentDigest(signerInfo, [
      bytes.subarray(0, firstLength),
      bytes.subarray(gapEnd, gapEnd + secondLength),
    ]);
    if (!digestMatches(signerInfo, digest)) return refused('digest-mismatch', fileSha256);
    if (
      !signatureVerifies(signerInfo, certificate) ||
      !signingCertificateMatches(signerInfo, certificate)
    ) {
      return refused('signature-invalid', fileSha256);
    }
    let timestampedAt: Date | undefined;
    const hasTimestamp = signerInfo.unsignedAttrs?.attributes.some(
      (attribute) => attribute.type === OID.signatureTimeStampToken,
    );
    if (hasTimestamp) {
      timestampedAt = verifySignatureTimestamp(signerInfo);
      if (!timestampedAt) return refused('timestamp-invalid', fileSha256);
    }

    // ISO 32000-1 §7.3: a file conforming readers reject is no valid attestation, even with a
    // good signature over it. Checked after the digest, which names a changed byte better.
    if (index.malformed.length > 0 || index.objects.some((o) => !o.closed)) {
      return refused('pdf-malformed', fileSha256);
    }
    const seal = {
      fileSha256,
      level: timestampedAt ? ('B-T' as const) : ('B-B' as const),
      sealedAt: parsePdfDate(dictionary.signingTime),
      timestampedAt,
      certificate: {
        subject: certificate.subject.split('\n').join(', '),
        fingerprintSha256: certificate.fingerprint256,
      },
    };
    const evidence = this.evidence(bytes, index);
    if (evidence === 'evidence-missing') {
      const summary = this.summary(bytes, index);
      if (summary === 'evidence-invalid') return refused(summary, fileSha256);
      if (summary) return { valid: true, kind: 'compliance-summary', summary, ...seal };
    }
    if (typeof evidence === 'string') return refused(evidence, fileSha256);
    return {
      valid: true,
      kind: 'attestation',
      attestationId: evidence.attestationId,
      evidence,
      ...seal,
    };
  }

  /** A compliance summary's attached record; undefined when the file has none. */
  private summary(
    bytes: Buffer,
    index: PdfIndex,
  ): ComplianceSummaryRecord | 'evidence-invalid' | undefined {
    const file = embeddedFile(bytes, index, COMPLIANCE_SUMMARY_FILE);
    if (!file) return undefined;
    return parseComplianceSummaryRecord(file) ?? 'evidence-invalid';
  }

  private evidence(
    bytes: Buffer,
    index: PdfIndex,
  ): AttestationEvidence | 'evidence-missing' | 'evidence-invalid' {
    const file = embeddedFile(bytes, index, EVIDENCE_FILE);
    if (!file) return 'evidence-missing';
    try {
      const parsed = JSON.parse(file.toString('utf8')) as unknown;
      const id = (parsed as { attestationId?: unknown } | null)?.attestationId;
      if (typeof id !== 'string' || id.length === 0) return 'evidence-invalid';
      return parsed as AttestationEvidence;
    } catch {
      return 'evidence-invalid';
    }
  }
}
