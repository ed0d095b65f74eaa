import type { AttestationEvidence } from '../attestation-evidence';

/** The seal certificate the PDF will be signed with, as printed on the attestation page. */
export interface SealIdentity {
  readonly subject: string;
  readonly fingerprintSha256: string;
}

export interface AttestationPdfInput {
  readonly evidence: AttestationEvidence;
  /** The exact document body that was signed, without front matter. */
  readonly markdown: string;
  /** `${PUBLIC_URL}/verify/<attestation id>`, printed and encoded in the QR code. */
  readonly verificationUrl: string;
  readonly seal: SealIdentity;
}

export interface ComplianceSummaryPerson {
  readonly name: string;
  readonly email: string;
  readonly employeeNumber: string | null;
  readonly department: string | null;
  readonly country: string | null;
  /** YYYY-MM-DD */
  readonly startDate: string | null;
}

export interface ComplianceSummaryRow {
  readonly requirementId: string;
  readonly kind: string;
  readonly subject: string;
  readonly cycle: string;
  readonly dueDate: string;
  /** A requirement state code (requirements/assignment-deriver.ts), shown in words. */
  readonly status: string;
  /** The status in words, from requirements/requirement-standing.ts. */
  readonly statusText: string;
  /** Done or waived, and the next cycle falls due on this day (YYYY-MM-DD). */
  readonly nextDueDate: string | null;
  /** Every rule met by the same work. */
  readonly requirementIds: readonly string[];
  readonly completedAt: string | null;
  /** The attestations (signature or training completion ids) that evidence this requirement. */
  readonly attestationIds: readonly string[];
}

export interface ComplianceSummaryInput {
  readonly organisation: string;
  /** UTC ISO-8601; also the PDF's creation date, so the same input gives the same bytes. */
  readonly generatedAt: string;
  readonly person: ComplianceSummaryPerson;
  readonly rows: readonly ComplianceSummaryRow[];
  readonly verificationUrl: string;
  readonly seal: SealIdentity;
}
