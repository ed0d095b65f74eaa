import { Injectable } from '@nestjs/common';
import { canonicalJson } from '../audit/audit-hash';
import { AuditService } from '../audit/audit.service';
import { AttestationRepository } from './attestation.repository';
import { AttestationVerifier } from './verify/attestation-verifier';

/** Larger than any attestation PDF by far; anything bigger is refused before it is read. */
export const VERIFY_MAX_BYTES = 20 * 1024 * 1024;

export type VerificationOutcome =
  | {
      readonly valid: true;
      readonly kind: 'attestation';
      readonly attestationId: string;
      readonly documentTitle: string;
      readonly version: string;
      readonly signedAt: string;
      readonly level: string;
      readonly fileSha256: string;
      readonly sealSubject: string;
      readonly sealFingerprint: string;
    }
  | {
      readonly valid: true;
      readonly kind: 'compliance-summary';
      readonly personName: string;
      /** UTC ISO-8601, when Attest made and sealed it. */
      readonly generatedAt: string;
      readonly organisation: string;
      readonly requirementCount: number;
      readonly level: string;
      readonly fileSha256: string;
      readonly sealSubject: string;
      readonly sealFingerprint: string;
    }
  | { readonly valid: false; readonly reason: string; readonly message: string };

/**
 * Anyone may verify as often as they like, so successful verifications are audited once per
 * attestation per client address per hour: the log shows who checked what, without letting an
 * anonymous caller grow the append-only log one row per request.
 */
export const VERIFICATION_AUDIT_WINDOW_MS = 60 * 60_000;

const refused = (reason: string, message: string): VerificationOutcome => ({
  valid: false,
  reason,
  message,
});

/**
 * The product's own verification: the seal (against the pinned seal certificates), the byte
 * range, and then what only Attest knows: that the file is one it issued, with the evidence it
 * stored.
 */
@Injectable()
export class AttestationVerificationService {
  constructor(
    private readonly verifier: AttestationVerifier,
    private readonly attestations: AttestationRepository,
    private readonly audit: AuditService,
  ) {}

  async verifyFile(bytes: Buffer): Promise<VerificationOutcome> {
    const result = await this.verifier.verifySealed(bytes, { maxBytes: VERIFY_MAX_BYTES });
    if (!result.valid) return refused(result.reason, result.message);
    if (result.kind === 'compliance-summary') {
      // Not stored: the pinned seal over every byte, its record included, vouches for it.
      const { summary } = result;
      await this.audit.recordOncePer(VERIFICATION_AUDIT_WINDOW_MS, {
        action: 'compliance-summary.verified',
        actorId: 'public',
        subjectType: 'compliance-summary',
        subjectId: result.fileSha256,
      });
      return {
        valid: true,
        kind: 'compliance-summary',
        personName: summary.person.name,
        generatedAt: summary.generatedAt,
        organisation: summary.organisation,
        requirementCount: summary.requirements.length,
        level: result.level,
        fileSha256: result.fileSha256,
        sealSubject: result.certificate.subject,
        sealFingerprint: result.certificate.fingerprintSha256,
      };
    }
    const stored = await this.attestations.findBySha256(result.fileSha256);
    if (!stored) {
      return refused(
        'unknown-file',
        'The seal is valid, but Attest issued no attestation with exactly these bytes.',
      );
    }
    if (stored.id !== result.attestationId) {
      return refused('evidence-mismatch', 'The evidence in the PDF names another attestation.');
    }
    if (canonicalJson(stored.evidence) !== canonicalJson(result.evidence)) {
      return refused(
        'evidence-mismatch',
        'The evidence.json in the PDF does not match the record Attest stored.',
      );
    }
    await this.audit.recordOncePer(VERIFICATION_AUDIT_WINDOW_MS, {
      action: 'attestation.verified',
      actorId: 'public',
      subjectType: 'attestation',
      subjectId: stored.id,
    });
    return {
      valid: true,
      kind: 'attestation',
      attestationId: stored.id,
      documentTitle: stored.evidence.document.title,
      version: stored.version,
      signedAt: stored.evidence.signedAt,
      level: result.level,
      fileSha256: result.fileSha256,
      sealSubject: result.certificate.subject,
      sealFingerprint: result.certificate.fingerprintSha256,
    };
  }

  /** What the QR code leads to: the stored PDF, verified again as it is now. */
  async verifyStored(id: string): Promise<VerificationOutcome> {
    const pdf = await this.attestations.pdfOf(id);
    if (!pdf) return refused('unknown-attestation', 'Attest has no attestation with this id.');
    return this.verifyFile(pdf);
  }
}
