import fc from 'fast-check';
import { PDFDict, PDFDocument, PDFHexString, PDFName, PDFString } from 'pdf-lib';
import { AttestationPdfRenderer } from '../../src/attestations/pdf/attestation-pdf.renderer';
import { DocumentSealer } from '../../src/attestations/seal/document-sealer';
import type { SealKeys } from '../../src/attestations/seal/seal-keys';
import { AttestationVerifier } from '../../src/attestations/verify/attestation-verifier';
import { Clock } from '../../src/common/clock';
import { attestationEvidence, attestationPdfInput } from '../factories/attestation-pdf.factory';
import { sealKeys } from '../factories/seal-key.factory';
import { fileWith, tool } from '../helpers/pdf-tools';

const LIMIT = { maxBytes: 20 * 1024 * 1024 };

/** Pieces a hostile or merely unusual name is made of: PDF syntax, scripts, control characters. */
const NAME_PARTS = fc.oneof(
  fc.constantFrom(
    '(',
    ')',
    '\\',
    '\\)',
    ') /Reason (Forged',
    '>>',
    '<<',
    'endobj',
    'stream',
    '/Reason',
    '/Name',
    ' >> /ByteRange [0 10 20 30] /Contents <41> << ',
    '%',
    '#',
    '<00>',
    '\r',
    '\n',
    '\t',
    '\u0000',
    '\u001b',
    '\u00ff',
    'Zoë Łukasiewicz-Ørsted',
    'Dvořák',
    '李小龍',
    'محمد',
    'Ἀλέξανδρος',
    'Шостакович',
    '😀',
    "O'Brien",
  ),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
  fc.string({ unit: 'binary', maxLength: 4 }),
);
const NAMES = fc
  .array(NAME_PARTS, { minLength: 1, maxLength: 6 })
  .map((parts) => parts.join(''))
  .filter((name) => name.trim().length > 0);

/** The signature dictionary's text entries, decoded by pdf-lib, an independent PDF reader. */
async function sealedText(pdf: Buffer): Promise<{ reason?: string; name?: string }> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    if (object instanceof PDFDict && object.get(PDFName.of('Type')) === PDFName.of('Sig')) {
      const text = (key: string) => {
        const value = object.get(PDFName.of(key));
        return value instanceof PDFString || value instanceof PDFHexString
          ? value.decodeText()
          : undefined;
      };
      return { reason: text('Reason'), name: text('Name') };
    }
  }
  return {};
}

/**
 * Whatever a person is called, the seal's strings are PDF strings, not PDF syntax: every sealed
 * PDF passes qpdf, pdfsig and mutool, Attest's verifier, and reads back the name as given.
 */
describe('Sealing attestations for any name (property)', () => {
  let keys: SealKeys;
  let sealer: DocumentSealer;
  let verifier: AttestationVerifier;
  const renderer = new AttestationPdfRenderer();

  beforeAll(async () => {
    keys = await sealKeys();
    sealer = new DocumentSealer(keys, new Clock(), null);
    verifier = new AttestationVerifier(keys);
  });

  /** Seals an attestation for `person`, for `organisation`, as the signing path does. */
  async function sealFor(person: string, organisation: string) {
    const evidence = attestationEvidence({
      signer: { ...attestationEvidence().signer, name: person },
      typedName: person,
      organisation,
    });
    const doc = await renderer.renderAttestation(
      attestationPdfInput({ evidence, markdown: '# Policy\n\nShort.\n' }),
    );
    const reason = `${person} acknowledged Information Security Policy version 2.1.0`;
    return { reason, pdf: await sealer.seal(doc, { reason, name: organisation }) };
  }

  it('reads a name that spells a /ByteRange key as text, not as a second seal', async () => {
    // Printable ASCII stays a literal string, so these characters are in the file as written.
    const { pdf } = await sealFor('Jo >> /ByteRange [0 10 20 30] /Contents <41> <<', 'Example Ltd');
    expect(pdf.toString('latin1')).toContain('/ByteRange [0 10 20 30]');
    expect(tool('pdfsig', [fileWith(pdf)]).output).toContain('Signature is Valid.');
    expect(await verifier.verify(pdf, LIMIT)).toMatchObject({ valid: true });
  });

  it('seals a PDF every tool accepts, with the name read back as given', async () => {
    await fc.assert(
      fc.asyncProperty(NAMES, NAMES, async (person, organisation) => {
        const { reason, pdf } = await sealFor(person, organisation);

        const file = fileWith(pdf);
        const qpdf = tool('qpdf', ['--check', file]);
        expect(qpdf.output).toContain('No syntax or stream encoding errors found');
        expect(qpdf.status).toBe(0);
        expect(tool('pdfsig', [file]).output).toContain('Signature is Valid.');
        expect(tool('mutool', ['sign', '-v', file]).output).toContain(
          'The document is unchanged since signing.',
        );
        expect(await verifier.verify(pdf, LIMIT)).toMatchObject({ valid: true });
        expect(await sealedText(pdf)).toEqual({ reason, name: organisation });
      }),
      // A fixed seed, so a failure reproduces; its counterexample is printed with the seed.
      { seed: 20_260_304, numRuns: 30, endOnFailure: true },
    );
  });
});
