import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import { SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import { PDFDocument, PDFName, PDFString } from 'pdf-lib';
import { CadesSignedData } from '../../src/attestations/seal/cades-signed-data';
import type { SealKeys } from '../../src/attestations/seal/seal-keys';
import {
  byteRangeDigest,
  fillByteRange,
  fillContents,
} from '../../src/attestations/seal/signature-placeholder';
import { sealablePdf } from './sealable-pdf.factory';

export interface ForgeOptions {
  /** Written into /Reason and /Name unescaped, as @signpdf's placeholder writes them. */
  readonly reason?: string;
  readonly name?: string;
  /** Edits the saved bytes before the byte range is filled and signed. */
  readonly edit?: (pdf: Buffer) => Buffer;
  /** Changes the document before the one save, e.g. to add a second signature field. */
  readonly prepare?: (doc: PDFDocument) => void;
}

/**
 * A PDF sealed with the real seal key over a signature dictionary written the unsafe way
 * (@signpdf/placeholder-pdf-lib, strings unescaped), optionally edited before signing: the
 * signature verifies, so only the verifier's structural checks can refuse it. This is what a
 * sealer that concatenates PDF strings would produce.
 */
export async function forgedSeal(keys: SealKeys, options: ForgeOptions = {}): Promise<Buffer> {
  const cms = new CadesSignedData(keys, null);
  const { doc } = await sealablePdf();
  options.prepare?.(doc);
  pdflibAddPlaceholder({
    pdfDoc: doc,
    reason: options.reason ?? 'Attestation',
    name: options.name ?? 'Example Ltd',
    location: '',
    contactInfo: '',
    signingTime: new Date('2026-03-04T05:06:07Z'),
    subFilter: SUBFILTER_ETSI_CADES_DETACHED,
    signatureLength: cms.maxBytes * 2,
  });
  const saved = await doc.save({ useObjectStreams: false, addDefaultPage: false });
  const pdf = (options.edit ?? ((b: Buffer) => b))(Buffer.from(saved));
  const slot = fillByteRange(pdf);
  fillContents(pdf, slot, await cms.sign(byteRangeDigest(pdf, slot)));
  return pdf;
}

/** Replaces the first `from` in the PDF with `to` of the same length, so no offset moves. */
export function sameLengthEdit(from: string, to: string): (pdf: Buffer) => Buffer {
  if (from.length !== to.length) throw new RangeError('The edit must keep the length.');
  return (pdf) => {
    const at = pdf.indexOf(from, 0, 'latin1');
    if (at < 0) throw new Error(`${from} is not in the PDF.`);
    pdf.write(to, at, 'latin1');
    return pdf;
  };
}

/** A second, empty signature field on the first page, before the seal's own. */
export function addSecondSignatureField(doc: PDFDocument): void {
  const field = doc.context.register(
    doc.context.obj({
      Type: 'Annot',
      Subtype: 'Widget',
      FT: 'Sig',
      Rect: [0, 0, 0, 0],
      T: PDFString.of('Signature0'),
      P: doc.getPages()[0].ref,
    }),
  );
  doc.getPages()[0].node.set(PDFName.of('Annots'), doc.context.obj([field]));
  doc.catalog.set(
    PDFName.of('AcroForm'),
    doc.context.register(doc.context.obj({ Fields: [field] })),
  );
}
