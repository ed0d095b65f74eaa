import type { FontStyle } from './font-faces';
import type { EmbeddedFont } from './pdf-fonts';

/** A4 portrait in PostScript points. */
export const A4 = { width: 595.28, height: 841.89 } as const;

/** A text run placed on a page. Coordinates are PDF user space: origin bottom left. */
export interface PlacedText {
  readonly text: string;
  readonly style: FontStyle;
  readonly size: number;
  readonly x: number;
  /** Baseline. */
  readonly y: number;
  readonly width: number;
  readonly gray: number;
}

export interface PlacedRect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

const num = (value: number): string => {
  const rounded = Math.round(value * 100) / 100;
  return Object.is(rounded, -0) ? '0' : String(rounded);
};

/**
 * The marks on one page, kept as data until the fonts are subset (glyph ids are only known
 * then), and so tests can check that nothing lies outside the page. Content is written as a
 * PDF content stream by hand: building pdf-lib operator objects for every word costs more than
 * the rest of the rendering.
 */
export class PageCanvas {
  readonly texts: PlacedText[] = [];
  readonly rects: PlacedRect[] = [];
  /** Painted first: shading behind text (code blocks, table headers). */
  private readonly underlay: string[] = [];
  private readonly overlay: string[] = [];

  constructor(
    readonly width: number = A4.width,
    readonly height: number = A4.height,
  ) {}

  text(placed: PlacedText): void {
    if (placed.text.length > 0) this.texts.push(placed);
  }

  /** A filled rectangle; `behind` paints it before all text. */
  fillRect(rect: PlacedRect, gray: number, behind = true): void {
    this.rects.push(rect);
    const op = `${num(gray)} g ${num(rect.x)} ${num(rect.y)} ${num(rect.width)} ${num(rect.height)} re f`;
    (behind ? this.underlay : this.overlay).push(op);
  }

  /** Many filled rectangles as one path (a QR code's modules). */
  fillRects(rects: readonly PlacedRect[], gray: number): void {
    if (rects.length === 0) return;
    this.rects.push(...rects);
    const path = rects.map((r) => `${num(r.x)} ${num(r.y)} ${num(r.width)} ${num(r.height)} re`);
    this.overlay.push(`${num(gray)} g\n${path.join('\n')}\nf`);
  }

  line(x1: number, y1: number, x2: number, y2: number, gray: number, lineWidth = 0.5): void {
    this.rects.push({
      x: Math.min(x1, x2),
      y: Math.min(y1, y2),
      width: Math.abs(x2 - x1),
      height: Math.abs(y2 - y1),
    });
    this.overlay.push(
      `${num(gray)} G ${num(lineWidth)} w ${num(x1)} ${num(y1)} m ${num(x2)} ${num(y2)} l S`,
    );
  }

  /** A copy to draw more on (a footer) while this one stays as it is. */
  clone(): PageCanvas {
    const copy = new PageCanvas(this.width, this.height);
    copy.texts.push(...this.texts);
    copy.rects.push(...this.rects);
    copy.underlay.push(...this.underlay);
    copy.overlay.push(...this.overlay);
    return copy;
  }

  /**
   * The page's content stream, text encoded with the document's subset fonts. Every character
   * is below U+0100, so it is written as Latin-1 bytes.
   */
  contentStream(fonts: ReadonlyMap<FontStyle, EmbeddedFont>): string {
    const parts: string[] = [];
    for (const op of this.underlay) parts.push(`q ${op} Q`);
    if (this.texts.length > 0) {
      parts.push('BT');
      let font = '';
      let gray = -1;
      for (const placed of this.texts) {
        const embedded = fonts.get(placed.style)!;
        const fontOp = `${embedded.resourceName.toString()} ${num(placed.size)} Tf`;
        if (fontOp !== font) parts.push((font = fontOp));
        if (placed.gray !== gray) parts.push(`${num((gray = placed.gray))} g`);
        parts.push(
          `1 0 0 1 ${num(placed.x)} ${num(placed.y)} Tm (${embedded.encode(placed.text)}) Tj`,
        );
      }
      parts.push('ET');
    }
    for (const op of this.overlay) parts.push(`q ${op} Q`);
    return parts.join('\n');
  }

  stylesUsed(): Set<FontStyle> {
    return new Set(this.texts.map((t) => t.style));
  }
}
