import type { ComplianceSummaryInput, ComplianceSummaryPerson } from './pdf/attestation-pdf.types';

/** The name of the machine-readable record attached to every sealed compliance summary. */
export const COMPLIANCE_SUMMARY_FILE = 'compliance-summary.json';

/**
 * What a sealed compliance summary says, in machine-readable form. It is attached before
 * sealing, so the seal covers it, and it tells a verifier what kind of sealed file it holds:
 * a summary is made on demand and not stored, so its seal, not a database row, vouches for it.
 */
export interface ComplianceSummaryRecord {
  readonly kind: 'compliance-summary';
  readonly organisation: string;
  /** UTC ISO-8601. */
  readonly generatedAt: string;
  readonly person: ComplianceSummaryPerson;
  readonly requirements: readonly ComplianceSummaryInput['rows'][number][];
}

export function complianceSummaryRecord(input: ComplianceSummaryInput): ComplianceSummaryRecord {
  return {
    kind: 'compliance-summary',
    organisation: input.organisation,
    generatedAt: input.generatedAt,
    person: input.person,
    requirements: input.rows,
  };
}

/** The attached record, when it is one; undefined for anything else. */
export function parseComplianceSummaryRecord(bytes: Buffer): ComplianceSummaryRecord | undefined {
  try {
    const parsed = JSON.parse(bytes.toString('utf8')) as Partial<ComplianceSummaryRecord> | null;
    if (
      parsed?.kind !== 'compliance-summary' ||
      typeof parsed.generatedAt !== 'string' ||
      Number.isNaN(Date.parse(parsed.generatedAt)) ||
      typeof parsed.person?.name !== 'string' ||
      !Array.isArray(parsed.requirements)
    ) {
      return undefined;
    }
    return parsed as ComplianceSummaryRecord;
  } catch {
    return undefined;
  }
}
