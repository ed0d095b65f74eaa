import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { PDFName, PDFString, type PDFContext, type PDFRef } from 'pdf-lib';
import { FONT_STYLES, fontFace, type FontFace, type FontStyle } from './font-faces';

/** What the layout needs from fonts: widths, and text made safe to draw. */
export interface TextMeasurer {
  /** Width in points of already sanitized text. */
  width(text: string, style: FontStyle, size: number): number;
  sanitize(text: string, style: FontStyle): string;
  /** Ascent and descent of the regular face, as fractions of the font size. */
  readonly ascent: number;
  readonly descent: number;
}

/** One font as written into a document: its resource name and a text-to-glyph-id encoder. */
export interface EmbeddedFont {
  readonly resourceName: PDFName;
  readonly ref: PDFRef;
  /**
   * The body of a PDF literal string holding the text's two-byte glyph ids (Identity-H),
   * escaped per PDF 32000-1 §7.3.4.2. Raw bytes are half the size of hex, and compress faster.
   */
  encode(text: string): string;
}

/** A face subset to a set of characters, ready to write into any document. */
interface PreparedSubset {
  readonly baseFont: string;
  /** Character → subset glyph id (the CID, with CIDToGIDMap Identity). */
  readonly cidOf: ReadonlyMap<number, number>;
  /** Widths of CIDs 1…n, in thousandths of an em. */
  readonly widths: readonly number[];
  readonly fontFile: Uint8Array;
  readonly fontFileLength: number;
  readonly toUnicode: Uint8Array;
}

const HEX4 = Array.from({ length: 0x10000 }, (_, i) => i.toString(16).padStart(4, '0'));
const RESOURCE_NAMES: Record<FontStyle, string> = {
  regular: 'F1',
  bold: 'F2',
  italic: 'F3',
  boldItalic: 'F4',
  mono: 'F5',
};

const ESCAPES: Record<number, string> = {
  0x0a: '\\n',
  0x0d: '\\r',
  0x28: '\\(',
  0x29: '\\)',
  0x5c: '\\\\',
};
const escapedByte = (byte: number) => ESCAPES[byte] ?? String.fromCharCode(byte);
const literalCodes: string[] = [];

function literalCode(cid: number): string {
  let code = literalCodes[cid];
  if (code === undefined) {
    code = escapedByte(cid >> 8) + escapedByte(cid & 0xff);
    literalCodes[cid] = code;
  }
  return code;
}

// Subsets by character set: a policy signed by many people needs the same few sets again and
// again, and subsetting plus compressing a face costs more than laying out the whole document.
const SUBSET_CACHE_LIMIT = 64;
const subsetCache = new Map<string, Promise<PreparedSubset>>();

function encodeSubset(face: FontFace, glyphIds: readonly number[]): Promise<Uint8Array> {
  const subset = face.font.createSubset();
  for (const glyphId of glyphIds) subset.includeGlyph(glyphId);
  return new Promise((resolve) => {
    const parts: Uint8Array[] = [];
    subset
      .encodeStream()
      .on('data', (chunk) => parts.push(chunk))
      .on('end', () => resolve(Buffer.concat(parts)));
  });
}

/** PDF 32000-1 §9.6.4: a subset font's name starts with a six-letter tag unique to the subset. */
function subsetTag(key: string): string {
  const digest = createHash('sha256').update(key).digest();
  return Array.from(digest.subarray(0, 6), (byte) => String.fromCharCode(65 + (byte % 26))).join(
    '',
  );
}

/** Adobe TN 5411: a ToUnicode CMap, in bfchar blocks of at most 100 entries. */
function toUnicodeCmap(entries: readonly (readonly [number, number])[]): string {
  const blocks: string[] = [];
  for (let i = 0; i < entries.length; i += 100) {
    const chunk = entries.slice(i, i + 100);
    const lines = chunk.map(([cid, codePoint]) => {
      const utf16 = String.fromCodePoint(codePoint);
      let hex = '';
      for (let j = 0; j < utf16.length; j++) hex += HEX4[utf16.charCodeAt(j)];
      return `<${HEX4[cid]}> <${hex}>`;
    });
    blocks.push(`${chunk.length} beginbfchar\n${lines.join('\n')}\nendbfchar`);
  }
  return [
    '/CIDInit /ProcSet findresource begin',
    '12 dict begin',
    'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Adobe-Identity-UCS def',
    '/CMapType 2 def',
    '1 begincodespacerange',
    '<0000> <FFFF>',
    'endcodespacerange',
    ...blocks,
    'endcmap',
    'CMapName currentdict /CMap defineresource pop',
    'end',
    'end',
  ].join('\n');
}

/**
 * Subsets a face to the given characters. Glyphs are numbered in glyph-id order, so the same
 * characters always give the same subset, whatever order they appeared in.
 */
async function subsetFor(face: FontFace, codePoints: readonly number[]): Promise<PreparedSubset> {
  const glyphOf = new Map<number, number>();
  for (const codePoint of codePoints) {
    const info = face.glyph(codePoint);
    if (info) glyphOf.set(codePoint, info.glyphId);
  }
  const glyphIds = [...new Set(glyphOf.values())].sort((a, b) => a - b);
  const cidOfGlyph = new Map(glyphIds.map((glyphId, i) => [glyphId, i + 1]));
  const cidOf = new Map<number, number>();
  const unicodeOf = new Map<number, number>();
  for (const [codePoint, glyphId] of glyphOf) {
    const cid = cidOfGlyph.get(glyphId)!;
    cidOf.set(codePoint, cid);
    if (!unicodeOf.has(cid)) unicodeOf.set(cid, codePoint);
  }
  const file = await encodeSubset(face, glyphIds);
  const cmap = toUnicodeCmap([...unicodeOf].sort((a, b) => a[0] - b[0]));
  return {
    baseFont: `${subsetTag(`${face.style}:${glyphIds.join(',')}`)}+${face.postscriptName}`,
    cidOf,
    widths: glyphIds.map(
      (glyphId) => Math.round(face.font.getGlyph(glyphId).advanceWidth * face.scale * 1000) / 1000,
    ),
    fontFile: deflateSync(file),
    fontFileLength: file.length,
    toUnicode: deflateSync(Buffer.from(cmap, 'latin1')),
  };
}

function cachedSubset(face: FontFace, codePoints: readonly number[]): Promise<PreparedSubset> {
  const key = `${face.style}:${codePoints.join(',')}`;
  let prepared = subsetCache.get(key);
  if (prepared) {
    subsetCache.delete(key);
  } else {
    prepared = subsetFor(face, codePoints);
    if (subsetCache.size >= SUBSET_CACHE_LIMIT) {
      subsetCache.delete(subsetCache.keys().next().value!);
    }
  }
  subsetCache.set(key, prepared);
  return prepared;
}

/**
 * The fonts of one document. Layout measures and sanitizes through it; drawing records which
 * characters each face needs; `embed` then writes each used face as a TrueType subset with a
 * ToUnicode map (so pdftotext and screen readers get the text back) and returns the encoders.
 */
export class PdfFontSet implements TextMeasurer {
  readonly ascent: number;
  readonly descent: number;
  private readonly used = new Map<FontStyle, Set<number>>();

  constructor() {
    const regular = fontFace('regular');
    this.ascent = (regular.font.ascent * regular.scale) / 1000;
    this.descent = (regular.font.descent * regular.scale) / 1000;
  }

  width(text: string, style: FontStyle, size: number): number {
    return (fontFace(style).advanceOf(text) * size) / 1000;
  }

  sanitize(text: string, style: FontStyle): string {
    return fontFace(style).sanitize(text);
  }

  /** Records the characters of text about to be drawn in a face. */
  use(text: string, style: FontStyle): void {
    let set = this.used.get(style);
    if (!set) {
      set = new Set();
      this.used.set(style, set);
    }
    for (const char of text) set.add(char.codePointAt(0)!);
  }

  async embed(context: PDFContext): Promise<Map<FontStyle, EmbeddedFont>> {
    const styles = FONT_STYLES.filter((style) => this.used.has(style));
    const fonts = await Promise.all(styles.map((style) => this.embedOne(context, style)));
    return new Map(styles.map((style, i) => [style, fonts[i]]));
  }

  private async embedOne(context: PDFContext, style: FontStyle): Promise<EmbeddedFont> {
    const face = fontFace(style);
    const codePoints = [...this.used.get(style)!].sort((a, b) => a - b);
    const subset = await cachedSubset(face, codePoints);
    const { cidOf } = subset;
    return {
      resourceName: PDFName.of(RESOURCE_NAMES[style]),
      ref: this.writeFontObjects(context, face, subset),
      encode(text: string): string {
        let codes = '';
        for (const char of text) codes += literalCode(cidOf.get(char.codePointAt(0)!) ?? 0);
        return codes;
      },
    };
  }

  private writeFontObjects(context: PDFContext, face: FontFace, subset: PreparedSubset): PDFRef {
    const { font, scale } = face;
    const fontFile = context.register(
      context.stream(subset.fontFile, {
        Filter: 'FlateDecode',
        Length1: subset.fontFileLength,
      }),
    );
    const toUnicode = context.register(context.stream(subset.toUnicode, { Filter: 'FlateDecode' }));
    const round = (value: number) => Math.round(value * scale);
    const italic = face.style === 'italic' || face.style === 'boldItalic';
    const descriptor = context.register(
      context.obj({
        Type: 'FontDescriptor',
        FontName: subset.baseFont,
        // PDF 32000-1 §9.8.2: bit 1 FixedPitch, bit 6 Nonsymbolic, bit 7 Italic.
        Flags: (face.style === 'mono' ? 1 : 0) | 32 | (italic ? 64 : 0),
        FontBBox: [font.bbox.minX, font.bbox.minY, font.bbox.maxX, font.bbox.maxY].map(round),
        ItalicAngle: font.italicAngle,
        Ascent: round(font.ascent),
        Descent: round(font.descent),
        CapHeight: round(font.capHeight || font.ascent),
        XHeight: round(font.xHeight || 0),
        StemV: face.style === 'bold' || face.style === 'boldItalic' ? 120 : 80,
        FontFile2: fontFile,
      }),
    );
    const cidFont = context.register(
      context.obj({
        Type: 'Font',
        Subtype: 'CIDFontType2',
        BaseFont: subset.baseFont,
        CIDSystemInfo: {
          Registry: PDFString.of('Adobe'),
          Ordering: PDFString.of('Identity'),
          Supplement: 0,
        },
        FontDescriptor: descriptor,
        CIDToGIDMap: 'Identity',
        DW: 0,
        W: [1, [...subset.widths]],
      }),
    );
    return context.register(
      context.obj({
        Type: 'Font',
        Subtype: 'Type0',
        BaseFont: subset.baseFont,
        Encoding: 'Identity-H',
        DescendantFonts: [cidFont],
        ToUnicode: toUnicode,
      }),
    );
  }
}
