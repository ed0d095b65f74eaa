import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PDFDocument } from 'pdf-lib';
import { AttestationPdfRenderer } from '../../src/attestations/pdf/attestation-pdf.renderer';
import {
  attestationEvidence,
  attestationPdfInput,
  complianceSummaryInput,
  EUROPEAN_NAMES,
} from '../factories/attestation-pdf.factory';

/**
 * Attestation PDFs checked with the tools an auditor trusts (poppler-utils, qpdf, zbar-tools),
 * not with the library that wrote them.
 */
describe('attestation PDFs under independent tools', () => {
  const sut = new AttestationPdfRenderer();
  const dir = mkdtempSync(join(tmpdir(), 'attest-pdf-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (tool: string, ...args: string[]) =>
    execFileSync(tool, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const squashed = (text: string) => text.replace(/\s+/g, '');

  async function saved(doc: PDFDocument, name: string): Promise<string> {
    const file = join(dir, name);
    writeFileSync(file, await doc.save());
    return file;
  }

  function pageCount(file: string): number {
    return Number(/^Pages:\s+(\d+)$/m.exec(run('pdfinfo', file))![1]);
  }

  const pageText = (file: string, page: number) =>
    run('pdftotext', '-f', String(page), '-l', String(page), file, '-');

  describe('a signed policy', () => {
    const input = attestationPdfInput();
    const { evidence } = input;
    let file: string;
    let pages: number;

    beforeAll(async () => {
      const doc = await sut.renderAttestation(input);
      pages = doc.getPageCount();
      file = await saved(doc, 'attestation.pdf');
    });

    it('has the pages pdf-lib laid out, with the metadata', () => {
      const info = run('pdfinfo', file);

      expect(pageCount(file)).toBe(pages);
      expect(pages).toBe(6);
      expect(info).toMatch(/^Producer:\s+Attest$/m);
      expect(info).toMatch(/^Author:\s+Ørsted & Dvořák Consulting ApS$/m);
      expect(info).toMatch(/^Page size:\s+595\.28 x 841\.89 pts \(A4\)$/m);
      expect(info).toContain(evidence.attestationId);
    });

    it('carries "page i of n" with the attestation id on every page', () => {
      for (let page = 1; page <= pages; page++) {
        expect(pageText(file, page)).toContain(
          `Attestation ${evidence.attestationId} · page ${page} of ${pages}`,
        );
      }
    });

    it('has extractable text: the document, the European names, the statement and the hashes', () => {
      const text = run('pdftotext', file, '-');
      const flat = squashed(text);

      expect(text).toContain('Information Security Policy');
      expect(text).toContain('1.1 Rules');
      expect(text).toContain('use the approved password manager;');
      for (const name of EUROPEAN_NAMES) expect(text).toContain(name);
      for (const value of [
        'Zoë Łukasiewicz-Ørsted acknowledged Information Security Policy version 2.1.0',
        evidence.document.sha256,
        evidence.consent.disclosureSha256,
        evidence.intent.sha256,
        evidence.intent.text,
        evidence.authentication.idpEntityId,
        evidence.userAgent!,
        input.seal.fingerprintSha256,
        input.verificationUrl,
        ...evidence.auditTrail.flatMap((event) => (event.hash ? [event.hash] : [])),
      ]) {
        expect(flat).toContain(squashed(value));
      }
    });

    it('embeds every font, as subsets with a Unicode map', () => {
      const rows = run('pdffonts', file).trim().split('\n').slice(2);

      expect(rows.length).toBeGreaterThanOrEqual(3);
      for (const row of rows) {
        expect(row).toMatch(/^[A-Z]{6}\+DejaVuSans\S*\s+CID TrueType\s+Identity-H\s+yes yes yes /);
      }
    });

    it('attaches evidence.json holding exactly the evidence', () => {
      expect(run('pdfdetach', '-list', file)).toBe('1 embedded files\n1: evidence.json\n');

      const out = join(dir, 'evidence.json');
      run('pdfdetach', '-save', '1', '-o', out, file);

      expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(evidence);
    });

    it('passes qpdf --check', () => {
      expect(run('qpdf', '--check', file)).toContain('No syntax or stream encoding errors found');
    });

    it('prints a QR code that a scanner reads as the verification URL', () => {
      const page =
        1 +
        [...Array(pages).keys()].findIndex((i) =>
          pageText(file, i + 1).includes('Attestation record'),
        );
      const prefix = join(dir, 'attestation-page');
      run(
        'pdftoppm',
        '-r',
        '150',
        '-png',
        '-singlefile',
        '-f',
        `${page}`,
        '-l',
        `${page}`,
        file,
        prefix,
      );

      expect(run('zbarimg', '-q', '--raw', `${prefix}.png`).trim()).toBe(input.verificationUrl);
    });
  });

  it('states a training completion with its score', async () => {
    const evidence = attestationEvidence({
      kind: 'training',
      training: { score: 85, passMark: 80, attempt: 1 },
    });
    const file = await saved(
      await sut.renderAttestation(attestationPdfInput({ evidence })),
      'training.pdf',
    );

    const text = squashed(run('pdftotext', file, '-'));

    expect(text).toContain(
      squashed('Zoë Łukasiewicz-Ørsted completed Information Security Policy version 2.1.0'),
    );
    expect(text).toContain(squashed('Score 85 % (pass mark 80 %), attempt 1.'));
  });

  it('prints a question mark for characters the fonts lack, and still passes qpdf', async () => {
    const evidence = attestationEvidence({
      signer: { personId: 'p', name: 'Zoë 山田', email: 'z@example.com', employeeNumber: null },
    });
    const file = await saved(
      await sut.renderAttestation(attestationPdfInput({ evidence })),
      'missing-glyphs.pdf',
    );

    expect(run('pdftotext', file, '-')).toContain('Zoë ?? acknowledged');
    expect(run('qpdf', '--check', file)).toContain('No syntax or stream encoding errors found');
  });

  it('paginates a compliance summary of 200 requirements, listing every one', async () => {
    const input = complianceSummaryInput(200);
    const doc = await sut.renderComplianceSummary(input);
    const file = await saved(doc, 'summary.pdf');
    const pages = pageCount(file);

    expect(pages).toBe(doc.getPageCount());
    expect(pages).toBeGreaterThan(1);
    const text = run('pdftotext', file, '-');
    for (const row of input.rows) {
      expect(text).toContain(row.requirementId);
      for (const id of row.attestationIds) expect(squashed(text)).toContain(id);
    }
    for (let page = 1; page <= pages; page++) {
      expect(pageText(file, page)).toContain(`page ${page} of ${pages}`);
    }
    expect(run('qpdf', '--check', file)).toContain('No syntax or stream encoding errors found');
  });
});
