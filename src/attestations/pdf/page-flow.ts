import type { FontStyle } from './font-faces';
import { A4, PageCanvas } from './page-canvas';
import type { TextMeasurer } from './pdf-fonts';
import { wrapRuns, type TextRun, type WrappedLine } from './text-wrap';

export interface PageGeometry {
  readonly width: number;
  readonly height: number;
  readonly marginTop: number;
  readonly marginBottom: number;
  readonly marginLeft: number;
  readonly marginRight: number;
}

/** A4 with 2 cm side margins; the bottom margin leaves room for the footer. */
export const A4_PORTRAIT: PageGeometry = {
  width: A4.width,
  height: A4.height,
  marginTop: 56.7,
  marginBottom: 62,
  marginLeft: 56.7,
  marginRight: 56.7,
};

export interface TextStyle {
  readonly size: number;
  /** Line height as a multiple of the size. */
  readonly leading: number;
  readonly gray: number;
}

export const BODY: TextStyle = { size: 10, leading: 1.4, gray: 0 };

export type Align = 'left' | 'center' | 'right';

/** A list marker waiting for the first line of its item. */
interface PendingMarker {
  readonly text: string;
  readonly style: FontStyle;
  /** Right edge of the marker. */
  readonly right: number;
}

/**
 * Pages and a cursor running down them. Layout asks for room before it draws; when a page is
 * full a new one starts, so nothing is drawn below the bottom margin. `y` is measured in points
 * from the top of the page; the canvas gets PDF coordinates.
 */
export class PageFlow {
  readonly pages: PageCanvas[] = [];
  /** Distance of the cursor from the top of the current page. */
  y = 0;
  private marker: PendingMarker | null = null;

  constructor(
    readonly measurer: TextMeasurer,
    readonly geometry: PageGeometry = A4_PORTRAIT,
  ) {}

  get page(): PageCanvas {
    if (this.pages.length === 0) this.newPage();
    return this.pages[this.pages.length - 1];
  }

  get left(): number {
    return this.geometry.marginLeft;
  }

  get contentWidth(): number {
    return this.geometry.width - this.geometry.marginLeft - this.geometry.marginRight;
  }

  /** Bottom of the writable area, from the top of the page. */
  get bottom(): number {
    return this.geometry.height - this.geometry.marginBottom;
  }

  get contentHeight(): number {
    return this.bottom - this.geometry.marginTop;
  }

  get remaining(): number {
    return this.bottom - this.y;
  }

  get atTopOfPage(): boolean {
    return this.y <= this.geometry.marginTop + 0.01;
  }

  newPage(): PageCanvas {
    const page = new PageCanvas(this.geometry.width, this.geometry.height);
    this.pages.push(page);
    this.y = this.geometry.marginTop;
    return page;
  }

  /** Starts a new page unless `height` still fits on this one. */
  ensure(height: number): void {
    if (this.pages.length === 0) this.newPage();
    else if (height > this.remaining + 0.01 && !this.atTopOfPage) this.newPage();
  }

  /** Vertical space; swallowed at the top of a page. */
  gap(height: number): void {
    if (this.pages.length === 0 || this.atTopOfPage) return;
    this.y = Math.min(this.y + height, this.bottom);
  }

  /** PDF y coordinate of a distance from the top. */
  pdfY(fromTop: number): number {
    return this.geometry.height - fromTop;
  }

  setMarker(text: string, style: FontStyle, right: number): void {
    this.marker = { text, style, right };
  }

  lineHeight(style: TextStyle): number {
    return style.size * style.leading;
  }

  /** Draws one wrapped line at the cursor (starting a page if needed) and moves down. */
  drawLine(line: WrappedLine, x: number, width: number, style: TextStyle, align: Align = 'left') {
    const height = this.lineHeight(style);
    this.ensure(height);
    const baseline = this.baselineFor(this.y, style);
    const offset =
      align === 'right' ? width - line.width : align === 'center' ? (width - line.width) / 2 : 0;
    this.placeLine(this.page, line, x + Math.max(0, offset), baseline, style);
    this.y += height;
  }

  /** Baseline of a line whose box starts `top` points from the top of the page. */
  baselineFor(top: number, style: TextStyle): number {
    const { ascent, descent } = this.measurer;
    const height = this.lineHeight(style);
    const glyphBox = (ascent - descent) * style.size;
    return this.pdfY(top + (height - glyphBox) / 2 + ascent * style.size);
  }

  placeLine(page: PageCanvas, line: WrappedLine, x: number, baseline: number, style: TextStyle) {
    if (this.marker) {
      const { text, style: markerStyle, right } = this.marker;
      const markerWidth = this.measurer.width(text, markerStyle, style.size);
      page.text({
        text,
        style: markerStyle,
        size: style.size,
        x: right - markerWidth,
        y: baseline,
        width: markerWidth,
        gray: style.gray,
      });
      this.marker = null;
    }
    for (const fragment of line.fragments) {
      page.text({
        text: fragment.text,
        style: fragment.style,
        size: style.size,
        x: x + fragment.x,
        y: baseline,
        width: fragment.width,
        gray: style.gray,
      });
    }
  }

  /**
   * Wraps and draws a paragraph. Keeps at least two lines together at a page break so a
   * paragraph does not leave a single line behind.
   */
  paragraph(
    runs: readonly TextRun[],
    x: number,
    width: number,
    style: TextStyle,
    align: Align = 'left',
  ) {
    const lines = wrapRuns(runs, width, style.size, this.measurer);
    const height = this.lineHeight(style);
    this.ensure(Math.min(lines.length, 2) * height);
    for (const line of lines) this.drawLine(line, x, width, style, align);
    return lines.length;
  }
}
