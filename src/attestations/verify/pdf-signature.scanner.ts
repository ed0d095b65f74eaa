/** A signature dictionary as found in the file's bytes, before anything is trusted. */
export interface ScannedSignature {
  /** Offset of the `/ByteRange` key. */
  readonly at: number;
  /** [offset1, length1, offset2, length2] (ISO 32000-1 §12.8.1, table 252). */
  readonly byteRange: readonly [number, number, number, number];
}

const BYTE_RANGE = Buffer.from('/ByteRange', 'latin1');
const BYTE_RANGE_VALUE =
  /^\/ByteRange\s*\[\s*(\d{1,12})\s+(\d{1,12})\s+(\d{1,12})\s+(\d{1,12})\s*\]/;
const HEADER = Buffer.from('%PDF-', 'latin1');
const EOF_MARK = /%%EOF\s*$/;
const WHITESPACE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);

/** ISO 32000-1 §7.5.2 (and readers' practice): the header within the first 1024 bytes. */
export function hasPdfHeader(bytes: Buffer): boolean {
  const at = bytes.subarray(0, 1024).indexOf(HEADER);
  return at >= 0;
}

/** Whether the file ends with an end-of-file marker, as a complete PDF does (§7.5.5). */
export function endsWithEof(bytes: Buffer): boolean {
  return EOF_MARK.test(bytes.toString('latin1', Math.max(0, bytes.length - 64)));
}

/**
 * Every /ByteRange in the file's own bytes. A seal written by Attest keeps its signature
 * dictionary outside object streams, so a plain scan finds it without parsing the PDF.
 */
export function scanSignatures(bytes: Buffer): ScannedSignature[] {
  const found: ScannedSignature[] = [];
  for (let at = bytes.indexOf(BYTE_RANGE); at >= 0; at = bytes.indexOf(BYTE_RANGE, at + 1)) {
    const match = BYTE_RANGE_VALUE.exec(bytes.toString('latin1', at, at + 80));
    if (!match) continue;
    const [a, b, c, d] = match.slice(1, 5).map(Number);
    found.push({ at, byteRange: [a, b, c, d] });
  }
  return found;
}

/** The gap between the two ranges must be exactly the `/Contents <hex>` value. */
export function gapIsContents(bytes: Buffer, start: number, end: number): boolean {
  if (bytes[start] !== 0x3c || bytes[end - 1] !== 0x3e) return false;
  let key = start - 1;
  while (key >= 0 && WHITESPACE.has(bytes[key])) key--;
  return bytes.toString('latin1', key - 8, key + 1) === '/Contents';
}

/** The hex digits of /Contents, or undefined when anything else is inside the brackets. */
export function contentsHex(bytes: Buffer, start: number, end: number): string | undefined {
  const hex = bytes.toString('latin1', start + 1, end - 1).replace(/[\s]+/g, '');
  return /^[0-9A-Fa-f]*$/.test(hex) && hex.length % 2 === 0 ? hex : undefined;
}

/** A PDF date (ISO 32000-1 §7.9.4), `D:YYYYMMDDHHmmSS` with `Z` or `±HH'mm'`. */
export function parsePdfDate(value: string | undefined): Date | undefined {
  const match = /^D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(Z|([+-])(\d{2})'?(\d{2})'?)?/.exec(
    value ?? '',
  );
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, zone, sign, oh, om] = match;
  const utc = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s);
  const offset = zone && zone !== 'Z' ? (sign === '-' ? -1 : 1) * (+oh * 60 + +om) : 0;
  return new Date(utc - offset * 60_000);
}
