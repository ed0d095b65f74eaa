import { Injectable } from '@nestjs/common';
import type { PDFDocument } from 'pdf-lib';
import {
  layoutAttestationPage,
  layoutAuditTrail,
  attestationStatement,
} from './attestation-record-pages';
import type { AttestationPdfInput, ComplianceSummaryInput } from './attestation-pdf.types';
import { complianceSummaryLabel, layoutComplianceSummary } from './compliance-summary-pages';
import { canonicalJsonFile, evidenceJson } from './evidence-json';
import { COMPLIANCE_SUMMARY_FILE, complianceSummaryRecord } from '../compliance-summary-record';
import { documentPages } from './document-pages';
import { assemblePdf } from './pdf-assembly';
import { PdfFontSet } from './pdf-fonts';
import { PageFlow } from './page-flow';

/**
 * Lays out attestation and compliance-summary PDFs. It returns the document unsaved: the
 * DocumentSealer adds the signature placeholder and saves it exactly once, because a PDF
 * re-saved after sealing no longer verifies.
 */
@Injectable()
export class AttestationPdfRenderer {
  /** Pages 1…n: the signed document; then the attestation page and the audit trail. */
  async renderAttestation(input: AttestationPdfInput): Promise<PDFDocument> {
    const { evidence } = input;
    const { document } = evidence;
    const fonts = new PdfFontSet();
    const flow = new PageFlow(fonts);
    const caption = `${document.title}, version ${document.version}, effective ${document.effective}: the text as signed.`;
    flow.pages.push(...documentPages(caption, input.markdown, fonts));
    layoutAttestationPage(flow, input);
    layoutAuditTrail(flow, evidence);
    return assemblePdf(
      flow,
      fonts,
      {
        title: `${document.title} version ${document.version}: ${evidence.signer.name}`,
        author: evidence.organisation,
        subject: attestationStatement(evidence),
        keywords: [evidence.attestationId, document.id, document.version, evidence.kind],
        created: new Date(evidence.signedAt),
        footer: `Attestation ${evidence.attestationId}`,
      },
      {
        name: 'evidence.json',
        bytes: evidenceJson(evidence),
        mimeType: 'application/json',
        description: `Evidence of attestation ${evidence.attestationId}`,
      },
    );
  }

  /** A person's requirements with their status and the attestations behind them. */
  async renderComplianceSummary(input: ComplianceSummaryInput): Promise<PDFDocument> {
    const fonts = new PdfFontSet();
    const flow = new PageFlow(fonts);
    layoutComplianceSummary(flow, input);
    return assemblePdf(
      flow,
      fonts,
      {
        title: `Compliance summary: ${input.person.name}`,
        author: input.organisation,
        subject: `Compliance summary of ${input.person.name} generated ${input.generatedAt}`,
        keywords: ['compliance summary', input.person.email],
        created: new Date(input.generatedAt),
        footer: complianceSummaryLabel(input),
      },
      // What /verify and `attest verify` read to say what this sealed file is.
      {
        name: COMPLIANCE_SUMMARY_FILE,
        bytes: canonicalJsonFile(complianceSummaryRecord(input)),
        mimeType: 'application/json',
        description: `Compliance summary of ${input.person.name} generated ${input.generatedAt}`,
      },
    );
  }
}
