import { createHash } from 'node:crypto';
import { DEFAULT_BYTE_RANGE_PLACEHOLDER } from '@signpdf/utils';

const PLACEHOLDER = `/${DEFAULT_BYTE_RANGE_PLACEHOLDER}`;
const BYTE_RANGE_PLACEHOLDER = Buffer.from(
  `/ByteRange [ 0 ${PLACEHOLDER} ${PLACEHOLDER} ${PLACEHOLDER} ]`,
  'latin1',
);

/** Where the /Contents hex string sits: `<` at `start`, `>` at `end - 1`. */
export interface ContentsSlot {
  readonly start: number;
  readonly end: number;
}

/**
 * Writes the real /ByteRange over @signpdf's placeholder, in place and padded to the same
 * length, so nothing else in the saved file moves. The range is everything but /Contents
 * (ISO 32000-1 §12.8.1), which here runs to the end of the file.
 */
export function fillByteRange(pdf: Buffer): ContentsSlot {
  const at = pdf.indexOf(BYTE_RANGE_PLACEHOLDER);
  if (at < 0 || pdf.indexOf(BYTE_RANGE_PLACEHOLDER, at + 1) >= 0) {
    throw new Error('The saved PDF must hold exactly one signature placeholder.');
  }
  const contents = pdf.indexOf('/Contents <', at + BYTE_RANGE_PLACEHOLDER.length, 'latin1');
  if (contents < 0) throw new Error('The signature placeholder has no /Contents.');
  const start = contents + '/Contents '.length;
  const end = pdf.indexOf('>', start, 'latin1') + 1;
  const byteRange = `/ByteRange [0 ${start} ${end} ${pdf.length - end}]`;
  pdf.write(byteRange.padEnd(BYTE_RANGE_PLACEHOLDER.length, ' '), at, 'latin1');
  return { start, end };
}

/** SHA-256 of the signed byte range, hashed in place without copying the file. */
export function byteRangeDigest(pdf: Buffer, slot: ContentsSlot): Buffer {
  return createHash('sha256')
    .update(pdf.subarray(0, slot.start))
    .update(pdf.subarray(slot.end))
    .digest();
}

/** Writes the CMS as hex into /Contents, zero-padded to the placeholder's width. */
export function fillContents(pdf: Buffer, slot: ContentsSlot, cms: Buffer): void {
  const room = slot.end - slot.start - 2;
  const hex = cms.toString('hex');
  if (hex.length > room) {
    throw new Error(`The signature (${cms.length} bytes) does not fit its placeholder.`);
  }
  pdf.write(hex, slot.start + 1, 'latin1');
  pdf.fill(0x30, slot.start + 1 + hex.length, slot.end - 1);
}
