import { SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import { entryOf, integerOf, nameOf, textOf, type PdfDict, type PdfValue } from './pdf-lexer';
import type { PdfIndex } from './pdf-preflight';
import { type ScannedSignature, scanSignatures } from './pdf-signature.scanner';
import type { VerificationFailure } from './verification-result';

/** The string entries of a signature dictionary that carry text (ISO 32000-1 table 252). */
const TEXT_KEYS = ['Name', 'Reason', 'Location', 'ContactInfo', 'M'];
const FIELD_TYPE_SIG = /\/FT\s*\/Sig\b/;

export interface SignatureDictionary {
  readonly dict: PdfDict;
  /** The CMS (DER) in /Contents. */
  readonly contents: Buffer;
  /** /M, the signer's claimed time (§7.9.4). */
  readonly signingTime: string | undefined;
}

type Checked = SignatureDictionary | VerificationFailure;

/** Whether `at` lies inside a string of `value` (ISO 32000-1 §7.3.4): there it is text. */
function insideString(value: PdfValue, at: number): boolean {
  if (at < value.start || at >= value.end) return false;
  switch (value.kind) {
    case 'string':
      return true;
    case 'array':
      return value.items.some((item) => insideString(item, at));
    case 'dict':
      return value.entries.some((entry) => insideString(entry.value, at));
    default:
      return false;
  }
}

/**
 * The seals the file claims: every `/ByteRange` in its bytes, but for those inside a string of
 * a well-formed object, which are text (a person's name in /Reason, say), not a second seal.
 * One in a malformed object still counts, for the structure check to refuse.
 */
export function claimedSignatures(bytes: Buffer, index: PdfIndex): ScannedSignature[] {
  return scanSignatures(bytes).filter(({ at }) => {
    const holder = index.objects.find((object) => object.at < at && at < object.end);
    return !holder || !insideString(holder.value, at);
  });
}

/**
 * Checks the seal's signature dictionary and field as strictly as qpdf, pdfsig and mutool read
 * them, from the objects the preflight parsed: a well-formed indirect dictionary (literal
 * strings balanced or escaped, §7.3.4.2) with no key twice (§7.3.7), /Type /Sig, Attest's
 * SubFilter, one /ByteRange of four integers and one /Contents hex string that is exactly the
 * unsigned gap (§12.8.1), and exactly one signature field, whose /V is this dictionary (§12.7.4.5).
 */
export function checkSignatureDictionary(
  index: PdfIndex,
  signature: ScannedSignature,
  maxSignatureBytes: number,
): Checked {
  const holder = index.objects.find(({ at, end }) => at < signature.at && signature.at < end);
  const dict = holder?.value;
  if (!holder || dict?.kind !== 'dict' || !holder.closed || holder.stream) {
    return 'signature-dictionary-malformed';
  }
  // The /ByteRange the scanner read must be this dictionary's own key, not text inside a value.
  if (!dict.entries.some(({ key, keyAt }) => key === 'ByteRange' && keyAt === signature.at)) {
    return 'signature-dictionary-malformed';
  }
  const keys = dict.entries.map(({ key }) => key);
  if (new Set(keys).size !== keys.length) return 'signature-dictionary-malformed';
  if (nameOf(entryOf(dict, 'Type')) !== 'Sig') return 'signature-dictionary-malformed';
  if (nameOf(entryOf(dict, 'SubFilter')) !== SUBFILTER_ETSI_CADES_DETACHED) {
    return 'signature-dictionary-malformed';
  }
  if (TEXT_KEYS.some((key) => entryOf(dict, key) && entryOf(dict, key)?.kind !== 'string')) {
    return 'signature-dictionary-malformed';
  }

  const byteRange = entryOf(dict, 'ByteRange');
  const numbers = byteRange?.kind === 'array' ? byteRange.items.map(integerOf) : [];
  if (numbers.length !== 4 || numbers.some((n, i) => n !== signature.byteRange[i])) {
    return 'byte-range-invalid';
  }
  const [, firstLength, gapEnd] = signature.byteRange;
  const contents = entryOf(dict, 'Contents');
  if (
    contents?.kind !== 'string' ||
    !contents.hex ||
    contents.start !== firstLength ||
    contents.end !== gapEnd
  ) {
    return 'resaved';
  }
  if (contents.bytes.length > maxSignatureBytes) return 'signature-malformed';

  const fields = index.objects.filter(
    ({ value }) => value.kind === 'dict' && nameOf(entryOf(value, 'FT')) === 'Sig',
  );
  const fieldsInStreams = index.objectStreams.filter((data) =>
    FIELD_TYPE_SIG.test(data.toString('latin1')),
  ).length;
  const v = fields[0]?.value.kind === 'dict' ? entryOf(fields[0].value, 'V') : undefined;
  if (
    fields.length !== 1 ||
    fieldsInStreams > 0 ||
    v?.kind !== 'ref' ||
    v.objectNumber !== holder.objectNumber
  ) {
    return 'signature-field-invalid';
  }
  return { dict, contents: contents.bytes, signingTime: textOf(entryOf(dict, 'M')) };
}
