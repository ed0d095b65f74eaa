/**
 * A strict reader of PDF objects straight from a file's bytes (ISO 32000-1 §7.2–7.3), for the
 * few objects a seal check needs. It never resolves references and throws PdfSyntaxError on
 * anything a conforming reader would reject, instead of guessing as forgiving parsers do.
 */

export class PdfSyntaxError extends Error {}

/** The file asks for more parsing than the lexer's budget allows; not a syntax question. */
export class PdfTooLarge extends Error {}

/**
 * What all the lexers of one verification may read together, shared between them: a file
 * crafted so that every object is huge, or so that a malformed object makes the reader rescan
 * the rest of the file again and again, runs out of it instead of out of memory or time.
 */
export class LexBudget {
  private readCount = 0;
  constructor(
    /** Values (numbers, names, strings, array and dictionary items) read in all. */
    private tokensLeft: number,
    /** The longest string, as written in the file (hex digits or escaped literal bytes). */
    readonly maxStringSource: number,
    /** Called every few thousand values, to stop at a deadline. */
    private readonly tick: () => void = () => undefined,
  ) {}

  spend(): void {
    if (--this.tokensLeft < 0) throw new PdfTooLarge('Too many values in the file.');
    if (++this.readCount % 4096 === 0) this.tick();
  }
}

/** A budget for parsing a few trusted objects, such as one trailer. */
const UNLIMITED = () => new LexBudget(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);

/** ISO 32000-1 Annex C.2: a name is at most 127 bytes. */
const MAX_NAME_BYTES = 127;
/** Longer than any number a PDF needs (offsets, lengths, coordinates). */
const MAX_NUMBER_CHARS = 32;

interface Span {
  readonly start: number;
  readonly end: number;
}

export interface PdfEntry {
  readonly key: string;
  /** Offset of the key's `/`. */
  readonly keyAt: number;
  readonly value: PdfValue;
}

export type PdfValue = Span &
  (
    | { readonly kind: 'number'; readonly value: number; readonly integer: boolean }
    | { readonly kind: 'name'; readonly value: string }
    | { readonly kind: 'string'; readonly bytes: Buffer; readonly hex: boolean }
    | { readonly kind: 'array'; readonly items: readonly PdfValue[] }
    | { readonly kind: 'dict'; readonly entries: readonly PdfEntry[] }
    | { readonly kind: 'ref'; readonly objectNumber: number; readonly generation: number }
    | { readonly kind: 'boolean'; readonly value: boolean }
    | { readonly kind: 'null' }
  );

export type PdfDict = Extract<PdfValue, { kind: 'dict' }>;

/** §7.2.2, table 1. */
export const isWhitespace = (byte: number) =>
  byte === 0x00 ||
  byte === 0x09 ||
  byte === 0x0a ||
  byte === 0x0c ||
  byte === 0x0d ||
  byte === 0x20;
/** §7.2.2, table 2. */
const isDelimiter = (byte: number) =>
  byte === 0x28 ||
  byte === 0x29 ||
  byte === 0x3c ||
  byte === 0x3e ||
  byte === 0x5b ||
  byte === 0x5d ||
  byte === 0x7b ||
  byte === 0x7d ||
  byte === 0x2f ||
  byte === 0x25;
export const isRegular = (byte: number) => !isWhitespace(byte) && !isDelimiter(byte);
const isDigit = (byte: number) => byte >= 0x30 && byte <= 0x39;
const hexValue = (byte: number) =>
  byte >= 0x30 && byte <= 0x39
    ? byte - 0x30
    : byte >= 0x41 && byte <= 0x46
      ? byte - 0x37
      : byte >= 0x61 && byte <= 0x66
        ? byte - 0x57
        : -1;

/** Nesting deeper than this is refused rather than followed down the stack. */
const MAX_DEPTH = 32;

/** §7.3.4.2, table 3: the escapes of a literal string. */
const ESCAPED: Readonly<Record<number, number>> = {
  0x6e: 0x0a, // \n
  0x72: 0x0d, // \r
  0x74: 0x09, // \t
  0x62: 0x08, // \b
  0x66: 0x0c, // \f
  0x28: 0x28, // \(
  0x29: 0x29, // \)
  0x5c: 0x5c, // \\
};

export class PdfLexer {
  constructor(
    private readonly bytes: Buffer,
    public position: number,
    private readonly budget: LexBudget = UNLIMITED(),
  ) {}

  /** Skips white space and comments (§7.2.3). */
  skipSpace(): void {
    const { bytes } = this;
    while (this.position < bytes.length) {
      const byte = bytes[this.position];
      if (isWhitespace(byte)) {
        this.position++;
      } else if (byte === 0x25) {
        while (
          this.position < bytes.length &&
          bytes[this.position] !== 0x0a &&
          bytes[this.position] !== 0x0d
        ) {
          this.position++;
        }
      } else {
        return;
      }
    }
  }

  /** Whether `word` is next, as a whole token. */
  atKeyword(word: string): boolean {
    const end = this.position + word.length;
    return (
      this.bytes.toString('latin1', this.position, end) === word &&
      (end >= this.bytes.length || !isRegular(this.bytes[end]))
    );
  }

  readValue(depth = 0): PdfValue {
    if (depth > MAX_DEPTH) throw new PdfSyntaxError('Objects nested too deeply.');
    this.budget.spend();
    this.skipSpace();
    const start = this.position;
    const byte = this.bytes[start];
    if (byte === undefined) throw new PdfSyntaxError('Unexpected end of file.');
    if (byte === 0x2f) return { kind: 'name', value: this.readName(), start, end: this.position };
    if (byte === 0x28) return this.readLiteral(start);
    if (byte === 0x3c && this.bytes[start + 1] === 0x3c) return this.readDict(start, depth);
    if (byte === 0x3c) return this.readHex(start);
    if (byte === 0x5b) return this.readArray(start, depth);
    if (isDigit(byte) || byte === 0x2b || byte === 0x2d || byte === 0x2e) {
      return this.readNumberOrRef(start);
    }
    for (const [word, value] of [
      ['true', true],
      ['false', false],
    ] as const) {
      if (this.atKeyword(word)) {
        this.position += word.length;
        return { kind: 'boolean', value, start, end: this.position };
      }
    }
    if (this.atKeyword('null')) {
      this.position += 4;
      return { kind: 'null', start, end: this.position };
    }
    throw new PdfSyntaxError(`Unexpected byte 0x${byte.toString(16)} at ${start}.`);
  }

  /** §7.3.5: a solidus, then regular characters, `#xx` standing for one byte. */
  private readName(): string {
    const { bytes } = this;
    this.position++;
    const out: number[] = [];
    while (this.position < bytes.length && isRegular(bytes[this.position])) {
      if (out.length > MAX_NAME_BYTES) throw new PdfTooLarge('A name is longer than PDF allows.');
      const byte = bytes[this.position++];
      if (byte === 0x23) {
        const high = hexValue(bytes[this.position]);
        const low = hexValue(bytes[this.position + 1]);
        if (high < 0 || low < 0) throw new PdfSyntaxError('A name has a malformed # escape.');
        out.push(high * 16 + low);
        this.position += 2;
      } else {
        out.push(byte);
      }
    }
    return Buffer.from(out).toString('latin1');
  }

  /**
   * §7.3.4.2: parentheses balance unless escaped; a backslash escapes the next character, up
   * to three octal digits, or an end of line. A string that never closes is an error.
   */
  private readLiteral(start: number): PdfValue {
    const { bytes } = this;
    const out: number[] = [];
    let depth = 1;
    this.position++;
    const limit = start + this.budget.maxStringSource;
    while (this.position < bytes.length) {
      if (this.position > limit) throw new PdfTooLarge(`The string at ${start} is too long.`);
      const byte = bytes[this.position++];
      if (byte === 0x5c) {
        const next = bytes[this.position++];
        if (next === undefined) break;
        if (ESCAPED[next] !== undefined) {
          out.push(ESCAPED[next]);
        } else if (next >= 0x30 && next <= 0x37) {
          let code = next - 0x30;
          for (
            let i = 0;
            i < 2 && bytes[this.position] >= 0x30 && bytes[this.position] <= 0x37;
            i++
          ) {
            code = code * 8 + bytes[this.position++] - 0x30;
          }
          out.push(code & 0xff);
        } else if (next === 0x0d) {
          if (bytes[this.position] === 0x0a) this.position++;
        } else if (next !== 0x0a) {
          // "If the character following the REVERSE SOLIDUS is not one of those shown in
          // Table 3, the REVERSE SOLIDUS shall be ignored."
          out.push(next);
        }
      } else if (byte === 0x28) {
        depth++;
        out.push(byte);
      } else if (byte === 0x29) {
        if (--depth === 0) {
          return { kind: 'string', bytes: Buffer.from(out), hex: false, start, end: this.position };
        }
        out.push(byte);
      } else {
        out.push(byte);
      }
    }
    throw new PdfSyntaxError(`The literal string at ${start} never closes.`);
  }

  /** §7.3.4.3: hexadecimal digits and white space only; an odd final digit is followed by 0. */
  private readHex(start: number): PdfValue {
    const { bytes } = this;
    const digits: number[] = [];
    this.position++;
    const limit = start + this.budget.maxStringSource;
    while (this.position < bytes.length) {
      if (this.position > limit) throw new PdfTooLarge(`The string at ${start} is too long.`);
      const byte = bytes[this.position++];
      if (byte === 0x3e) {
        if (digits.length % 2) digits.push(0);
        const out = Buffer.alloc(digits.length / 2);
        for (let i = 0; i < out.length; i++) out[i] = digits[2 * i] * 16 + digits[2 * i + 1];
        return { kind: 'string', bytes: out, hex: true, start, end: this.position };
      }
      if (isWhitespace(byte)) continue;
      const value = hexValue(byte);
      if (value < 0) throw new PdfSyntaxError(`The hexadecimal string at ${start} is malformed.`);
      digits.push(value);
    }
    throw new PdfSyntaxError(`The hexadecimal string at ${start} never closes.`);
  }

  private readArray(start: number, depth: number): PdfValue {
    const items: PdfValue[] = [];
    this.position++;
    for (;;) {
      this.skipSpace();
      if (this.bytes[this.position] === 0x5d) {
        this.position++;
        return { kind: 'array', items, start, end: this.position };
      }
      items.push(this.readValue(depth + 1));
    }
  }

  /** §7.3.7: keys are names; the caller decides about repeated keys. */
  private readDict(start: number, depth: number): PdfValue {
    const entries: PdfEntry[] = [];
    this.position += 2;
    for (;;) {
      this.skipSpace();
      if (this.bytes[this.position] === 0x3e && this.bytes[this.position + 1] === 0x3e) {
        this.position += 2;
        return { kind: 'dict', entries, start, end: this.position };
      }
      const keyAt = this.position;
      if (this.bytes[keyAt] !== 0x2f) {
        throw new PdfSyntaxError(`A dictionary key at ${keyAt} is not a name.`);
      }
      const key = this.readName();
      entries.push({ key, keyAt, value: this.readValue(depth + 1) });
    }
  }

  /** §7.3.3 numbers, and §7.3.10 `n g R` references. */
  private readNumberOrRef(start: number): PdfValue {
    const first = this.readNumber(start);
    if (!first.integer || first.value < 0) return first;
    const save = this.position;
    this.skipSpace();
    const second = this.position;
    if (isDigit(this.bytes[second] ?? -1)) {
      const generation = this.readNumber(second);
      this.skipSpace();
      if (generation.integer && this.atKeyword('R')) {
        this.position++;
        return {
          kind: 'ref',
          objectNumber: first.value,
          generation: generation.value,
          start,
          end: this.position,
        };
      }
    }
    this.position = save;
    return first;
  }

  private readNumber(start: number): Extract<PdfValue, { kind: 'number' }> {
    const { bytes } = this;
    let end = start;
    if (bytes[end] === 0x2b || bytes[end] === 0x2d) end++;
    while (end < bytes.length && (isDigit(bytes[end]) || bytes[end] === 0x2e)) {
      if (++end - start > MAX_NUMBER_CHARS)
        throw new PdfTooLarge(`The number at ${start} is too long.`);
    }
    const text = bytes.toString('latin1', start, end);
    if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(text) || (end < bytes.length && isRegular(bytes[end]))) {
      throw new PdfSyntaxError(`Malformed number at ${start}.`);
    }
    this.position = end;
    return { kind: 'number', value: Number(text), integer: /^[+-]?\d+$/.test(text), start, end };
  }
}

/** The one value of `key`, or undefined; callers that must refuse repeats use `entriesOf`. */
export function entryOf(dict: PdfDict, key: string): PdfValue | undefined {
  return dict.entries.find((entry) => entry.key === key)?.value;
}

export function nameOf(value: PdfValue | undefined): string | undefined {
  return value?.kind === 'name' ? value.value : undefined;
}

export function integerOf(value: PdfValue | undefined): number | undefined {
  return value?.kind === 'number' && value.integer ? value.value : undefined;
}

/**
 * A text string's characters (§7.9.2.2): UTF-16BE after a byte order mark, otherwise
 * PDFDocEncoding, which agrees with Latin-1 on every character a file name or date uses.
 */
export function textOf(value: PdfValue | undefined): string | undefined {
  if (value?.kind !== 'string') return undefined;
  const { bytes } = value;
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2, bytes.length - (bytes.length % 2)));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  return bytes.toString('latin1');
}
