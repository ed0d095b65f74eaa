import { ANNOTATION_FLAGS, DEFAULT_BYTE_RANGE_PLACEHOLDER, SIG_FLAGS } from '@signpdf/utils';
import {
  PDFArray,
  PDFDict,
  PDFHexString,
  PDFInvalidObject,
  PDFName,
  PDFNumber,
  PDFString,
  type PDFDocument,
} from 'pdf-lib';
import { pdfText } from './pdf-text';

export interface SignatureFieldInput {
  readonly reason: string;
  readonly name: string;
  readonly location: string;
  readonly contactInfo: string;
  readonly signingTime: Date;
  readonly subFilter: string;
  /** Hex digits reserved for the CMS in /Contents. */
  readonly signatureLength: number;
}

/**
 * Adds one invisible signature field and its signature dictionary (ISO 32000-1 §12.7.4.5,
 * §12.8.1, table 252), as @signpdf/placeholder-pdf-lib does but with every text value
 * written by `pdfText`: that library passes reason and name to PDFString.of unescaped.
 * /ByteRange holds @signpdf's placeholder names and /Contents zeros; `fillByteRange` and
 * `fillContents` overwrite them in place after the one save.
 */
export function addSignatureField(doc: PDFDocument, input: SignatureFieldInput): void {
  const { context } = doc;
  const page = doc.getPages()[0];
  const placeholder = PDFName.of(DEFAULT_BYTE_RANGE_PLACEHOLDER);
  const signature = context.obj({
    Type: 'Sig',
    Filter: 'Adobe.PPKLite',
    SubFilter: input.subFilter,
    ByteRange: [PDFNumber.of(0), placeholder, placeholder, placeholder],
    Contents: PDFHexString.of('0'.repeat(input.signatureLength)),
    Reason: pdfText(input.reason),
    M: PDFString.fromDate(input.signingTime),
    ContactInfo: pdfText(input.contactInfo),
    Name: pdfText(input.name),
    Location: pdfText(input.location),
    Prop_Build: { Filter: { Name: 'Adobe.PPKLite' }, App: { Name: 'Attest' } },
  });
  // Written as raw bytes so that pdf-lib never moves it into an object stream, where the
  // byte range could not be filled in place.
  const bytes = new Uint8Array(signature.sizeInBytes());
  signature.copyBytesInto(bytes, 0);
  const signatureRef = context.register(PDFInvalidObject.of(bytes));

  const appearance = context.formXObject([], { BBox: [0, 0, 0, 0], Resources: {} });
  const widget = context.register(
    context.obj({
      Type: 'Annot',
      Subtype: 'Widget',
      FT: 'Sig',
      Rect: [0, 0, 0, 0],
      V: signatureRef,
      T: pdfText('Signature1'),
      F: ANNOTATION_FLAGS.PRINT,
      P: page.ref,
      // PDF/A-2 §6.3.3: every annotation has a normal appearance.
      AP: { N: context.register(appearance) },
    }),
  );
  const annotations = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray) ?? context.obj([]);
  annotations.push(widget);
  page.node.set(PDFName.of('Annots'), annotations);

  let acroForm = doc.catalog.lookupMaybe(PDFName.of('AcroForm'), PDFDict);
  if (!acroForm) {
    acroForm = context.obj({ Fields: [] });
    doc.catalog.set(PDFName.of('AcroForm'), context.register(acroForm));
  }
  // Table 219: SignaturesExist and AppendOnly.
  acroForm.set(
    PDFName.of('SigFlags'),
    PDFNumber.of(SIG_FLAGS.SIGNATURES_EXIST | SIG_FLAGS.APPEND_ONLY),
  );
  const fields = acroForm.lookupMaybe(PDFName.of('Fields'), PDFArray) ?? context.obj([]);
  fields.push(widget);
  acroForm.set(PDFName.of('Fields'), fields);
}
