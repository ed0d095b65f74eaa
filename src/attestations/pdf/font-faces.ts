import { readFileSync } from 'node:fs';
import { create, type Font } from '@pdf-lib/fontkit';

/** The five faces the attestation PDFs use: DejaVu Sans covers Latin-1, Latin Extended and more. */
export type FontStyle = 'regular' | 'bold' | 'italic' | 'boldItalic' | 'mono';

export const FONT_STYLES: readonly FontStyle[] = [
  'regular',
  'bold',
  'italic',
  'boldItalic',
  'mono',
];

const FILES: Record<FontStyle, string> = {
  regular: 'DejaVuSans.ttf',
  bold: 'DejaVuSans-Bold.ttf',
  italic: 'DejaVuSans-Oblique.ttf',
  boldItalic: 'DejaVuSans-BoldOblique.ttf',
  mono: 'DejaVuSansMono.ttf',
};

/** Shown in place of a character the face has no glyph for, so odd input never throws. */
export const REPLACEMENT = '?';

interface GlyphInfo {
  readonly glyphId: number;
  /** Advance width in thousandths of an em, the unit of a PDF /W array. */
  readonly advance: number;
}

// Zero-width and invisible formatting characters: drawn as nothing rather than as '?'.
const PRINTABLE_ASCII = /^[\x20-\x7e\n]*$/;
const INVISIBLE = new Set([0x00ad, 0x200b, 0x200c, 0x200d, 0x2060, 0xfeff]);

/**
 * One parsed TrueType face with its metrics. The file is read and parsed once per process and
 * shared by every document: parsing DejaVu Sans costs more than laying out a whole policy.
 */
export class FontFace {
  readonly scale: number;
  private readonly glyphs = new Map<number, GlyphInfo | null>();

  constructor(
    readonly style: FontStyle,
    readonly font: Font,
  ) {
    this.scale = 1000 / font.unitsPerEm;
  }

  get postscriptName(): string {
    return this.font.postscriptName ?? `DejaVu-${this.style}`;
  }

  /** The glyph for a code point, or null when the face lacks it. */
  glyph(codePoint: number): GlyphInfo | null {
    let info = this.glyphs.get(codePoint);
    if (info === undefined) {
      info = null;
      if (this.font.hasGlyphForCodePoint(codePoint)) {
        const glyph = this.font.glyphForCodePoint(codePoint);
        if (glyph.id !== 0) info = { glyphId: glyph.id, advance: glyph.advanceWidth * this.scale };
      }
      this.glyphs.set(codePoint, info);
    }
    return info;
  }

  /** Advance width of an already sanitized string, in thousandths of an em. */
  advanceOf(text: string): number {
    let total = 0;
    for (const char of text) {
      const info = this.glyph(char.codePointAt(0)!);
      total += info ? info.advance : 0;
    }
    return total;
  }

  /**
   * Makes text drawable in this face: NFC (so "e" + combining diaeresis becomes one "ë" glyph),
   * tabs become spaces, control and zero-width characters are dropped, and anything the face
   * cannot draw becomes '?'.
   */
  sanitize(text: string): string {
    // Printable ASCII is already NFC and DejaVu has every glyph: the common case, made cheap.
    if (PRINTABLE_ASCII.test(text)) return text;
    const normalised = text.normalize('NFC');
    let out = '';
    let changed = false;
    for (const char of normalised) {
      const codePoint = char.codePointAt(0)!;
      if (codePoint === 0x0a) {
        out += char;
      } else if (codePoint === 0x09) {
        out += ' ';
        changed = true;
      } else if (
        codePoint < 0x20 ||
        (codePoint >= 0x7f && codePoint < 0xa0) ||
        INVISIBLE.has(codePoint)
      ) {
        changed = true;
      } else if (this.glyph(codePoint)) {
        out += char;
      } else {
        out += REPLACEMENT;
        changed = true;
      }
    }
    return changed || normalised !== text ? out : text;
  }
}

const bytesCache = new Map<FontStyle, Uint8Array>();
const faceCache = new Map<FontStyle, FontFace>();

/** The font file's bytes, read once. Resolved through Node so it works from dist/ and ts-jest. */
export function fontFileBytes(style: FontStyle): Uint8Array {
  let bytes = bytesCache.get(style);
  if (!bytes) {
    bytes = readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${FILES[style]}`));
    bytesCache.set(style, bytes);
  }
  return bytes;
}

export function fontFace(style: FontStyle): FontFace {
  let face = faceCache.get(style);
  if (!face) {
    face = new FontFace(style, create(fontFileBytes(style)));
    faceCache.set(style, face);
  }
  return face;
}
