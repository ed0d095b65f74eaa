import {
  attestationEvidence,
  attestationPdfInput,
  complianceSummaryInput,
} from '../../../test/factories/attestation-pdf.factory';
import { AttestationPdfRenderer } from './attestation-pdf.renderer';
import { documentPages } from './document-pages';
import { PdfFontSet } from './pdf-fonts';

describe(AttestationPdfRenderer.name, () => {
  const sut = new AttestationPdfRenderer();

  it('lays out the document, then the attestation page and the audit trail', async () => {
    const input = attestationPdfInput();
    const documentOnly = documentPages('caption', input.markdown, new PdfFontSet()).length;

    const doc = await sut.renderAttestation(input);

    expect(documentOnly).toBe(4);
    expect(doc.getPageCount()).toBe(documentOnly + 2);
    for (const page of doc.getPages()) {
      expect(page.getWidth()).toBeCloseTo(595.28, 2);
      expect(page.getHeight()).toBeCloseTo(841.89, 2);
    }
  });

  it('sets the metadata from the evidence, with no clock and no pdf-lib defaults', async () => {
    const input = attestationPdfInput();
    const { evidence } = input;

    const doc = await sut.renderAttestation(input);

    expect(doc.getTitle()).toBe(
      'Information Security Policy version 2.1.0: Zoë Łukasiewicz-Ørsted',
    );
    expect(doc.getAuthor()).toBe(evidence.organisation);
    expect(doc.getSubject()).toBe(
      'Zoë Łukasiewicz-Ørsted acknowledged Information Security Policy version 2.1.0',
    );
    expect(doc.getKeywords()).toContain(evidence.attestationId);
    expect(doc.getProducer()).toBe('Attest');
    expect(doc.getCreator()).toBe('Attest');
    expect(doc.getCreationDate()?.toISOString()).toBe('2026-03-02T09:12:02.000Z');
    expect(doc.getModificationDate()?.toISOString()).toBe('2026-03-02T09:12:02.000Z');
  });

  it('gives the same bytes for the same input, and different bytes for another attestation', async () => {
    const input = attestationPdfInput();

    const first = await (await sut.renderAttestation(input)).save();
    const second = await (await sut.renderAttestation(input)).save();
    const other = await (
      await sut.renderAttestation(attestationPdfInput({ evidence: attestationEvidence() }))
    ).save();

    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
    expect(Buffer.from(other).equals(Buffer.from(first))).toBe(false);
    expect(Buffer.from(first).toString('latin1')).not.toContain('/ID');
  });

  it('renders a policy of nothing but unusual characters without throwing', async () => {
    const markdown = `# 山田 \u0000 ☃ 🧑‍💻\n\n${'\u200b'.repeat(5)} x\t y\n\n| ${'ŁØ'.repeat(300)} |\n|---|\n| 漢 |`;

    const doc = await sut.renderAttestation(attestationPdfInput({ markdown }));

    expect(doc.getPageCount()).toBeGreaterThanOrEqual(3);
  });

  it('renders an empty document body to a page with only the caption', async () => {
    const doc = await sut.renderAttestation(attestationPdfInput({ markdown: '' }));

    expect(doc.getPageCount()).toBe(3);
  });

  it('refuses a signing time that is not a time, rather than writing a broken date', async () => {
    const evidence = attestationEvidence({ signedAt: 'yesterday' });

    await expect(sut.renderAttestation(attestationPdfInput({ evidence }))).rejects.toThrow(
      'The PDF creation date is not a valid UTC ISO-8601 time.',
    );
  });

  it('paginates a compliance summary of 200 requirements', async () => {
    const doc = await sut.renderComplianceSummary(complianceSummaryInput(200));

    expect(doc.getPageCount()).toBeGreaterThan(5);
    expect(doc.getAuthor()).toBe('Ørsted & Dvořák Consulting ApS');
    expect(doc.getCreationDate()?.toISOString()).toBe('2026-03-05T12:00:00.000Z');
  });
});

describe(documentPages.name, () => {
  it('hands out copies, so one attestation’s footer never reaches another’s pages', () => {
    const fonts = new PdfFontSet();
    const first = documentPages('caption', '# Policy\n\nText.', fonts);
    first[0].text({ text: 'footer', style: 'regular', size: 8, x: 60, y: 30, width: 20, gray: 0 });

    const second = documentPages('caption', '# Policy\n\nText.', fonts);

    expect(second[0].texts.map((t) => t.text)).toEqual(['caption', 'Policy', 'Text.']);
  });
});
