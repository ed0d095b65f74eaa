import { PDFDocument } from 'pdf-lib';
import { contentsHex, scanSignatures } from '../../src/attestations/verify/pdf-signature.scanner';
import { parseSignedData } from '../../src/attestations/verify/cms-signer.verification';

/**
 * The ways a sealed PDF gets damaged or forged, each a function of the sealed bytes. The
 * verifier must refuse every one with its own reason.
 */
export const tamper = {
  /** One byte of page content flipped, well inside the first signed range. */
  flipByte(pdf: Buffer): Buffer {
    const copy = Buffer.from(pdf);
    const [, firstLength] = scanSignatures(pdf)[0].byteRange;
    const at = Math.floor(firstLength / 2);
    copy[at] ^= 0x01;
    return copy;
  },

  appendBytes(pdf: Buffer): Buffer {
    return Buffer.concat([pdf, Buffer.from('\nhello, I was added later\n')]);
  },

  /** An incremental update (ISO 32000-1 §7.5.6) changing the Info dictionary. */
  incrementalUpdate(pdf: Buffer): Buffer {
    const startxref = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(pdf.toString('latin1'))?.[1]);
    const at = pdf.length + 1;
    const body = `\n99 0 obj\n<< /Title (Edited) >>\nendobj\n`;
    const xref = `xref\n0 1\n0000000000 65535 f \n99 1\n${String(at).padStart(10, '0')} 00000 n \n`;
    const trailer = `trailer\n<< /Size 100 /Prev ${startxref} /Info 99 0 R >>\nstartxref\n${at + body.length - 1}\n%%EOF\n`;
    return Buffer.concat([pdf, Buffer.from(body + xref + trailer, 'latin1')]);
  },

  truncate(pdf: Buffer, keep = 0.8): Buffer {
    return Buffer.from(pdf.subarray(0, Math.floor(pdf.length * keep)));
  },

  /** pdf-lib load + save, as a tool that "just opens and saves" would. */
  async resave(pdf: Buffer, useObjectStreams = true): Promise<Buffer> {
    const doc = await PDFDocument.load(pdf);
    return Buffer.from(await doc.save({ useObjectStreams }));
  },

  /** A flipped byte in the signature value itself, inside /Contents. */
  flipSignatureValue(pdf: Buffer): Buffer {
    const [, b, c] = scanSignatures(pdf)[0].byteRange;
    const hex = contentsHex(pdf, b, c)!;
    const signature = Buffer.from(
      parseSignedData(Buffer.from(hex, 'hex')).signerInfos[0].signature.getValue(),
    ).toString('hex');
    const at = pdf.indexOf(signature, b, 'latin1') + 10;
    const copy = Buffer.from(pdf);
    copy[at] = copy[at] === 0x30 ? 0x31 : 0x30;
    return copy;
  },

  /** The start of the CMS overwritten with zeros: no longer DER. */
  garbleContents(pdf: Buffer): Buffer {
    const [, b] = scanSignatures(pdf)[0].byteRange;
    const copy = Buffer.from(pdf);
    copy.fill(0x30, b + 1, b + 41);
    return copy;
  },
};
