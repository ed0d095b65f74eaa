import type { Align, PageFlow, TextStyle } from './page-flow';
import type { TextMeasurer } from './pdf-fonts';
import { measureRuns, wrapRuns, type TextRun, type WrappedLine } from './text-wrap';

/** A table cell: one or more paragraphs of runs. */
export type Cell = readonly (readonly TextRun[])[];

export interface TableSpec {
  readonly header?: readonly Cell[];
  readonly rows: readonly (readonly Cell[])[];
  readonly align?: readonly Align[];
  /** Relative column widths; without them widths follow the content. */
  readonly weights?: readonly number[];
  readonly text: TextStyle;
  readonly headerText?: TextStyle;
  readonly padding?: number;
  /** Cell borders; off for key/value lists. */
  readonly grid?: boolean;
  /** Gray level behind the header row. */
  readonly headerFill?: number;
  /** Text gray per column (dimmer labels in a key/value list). */
  readonly columnGray?: readonly number[];
}

const GRID_GRAY = 0.6;
// No single long token (a URL, a hash) may claim more than this share of the table's width.
const MAX_MIN_SHARE = 0.4;

/**
 * Column widths that fit `available`: every column at its unwrapped width when that fits, else
 * each gets its longest word plus a share of the rest in proportion to how much it wants,
 * the way browsers lay out auto tables. Widths include the cell padding.
 */
export function columnWidths(
  cells: readonly (readonly Cell[])[],
  available: number,
  size: number,
  padding: number,
  measurer: TextMeasurer,
): number[] {
  const count = Math.max(...cells.map((row) => row.length), 1);
  const min = Array.from({ length: count }, () => 0);
  const max = Array.from({ length: count }, () => 0);
  for (const row of cells) {
    row.forEach((cell, column) => {
      for (const paragraph of cell) {
        const bounds = measureRuns(paragraph, size, measurer);
        min[column] = Math.max(min[column], bounds.minWidth);
        max[column] = Math.max(max[column], bounds.maxWidth);
      }
    });
  }
  const cap = available * MAX_MIN_SHARE;
  const lo = min.map((w) => Math.min(w, cap) + 2 * padding + 1);
  const hi = max.map((w, i) => Math.max(w + 2 * padding + 1, lo[i]));
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const [loSum, hiSum] = [sum(lo), sum(hi)];
  if (hiSum <= available) return hi.map((w) => (w * available) / hiSum);
  if (loSum >= available) return waterFill(lo, available);
  const spare = (available - loSum) / (hiSum - loSum);
  return lo.map((w, i) => w + (hi[i] - w) * spare);
}

/**
 * Narrows only the widest columns, to a common cap, until the total fits: short words stay
 * whole, and only the long tokens that must break anyway (ids, hashes) give way.
 */
function waterFill(widths: readonly number[], available: number): number[] {
  const sorted = [...widths].sort((a, b) => a - b);
  let rest = available;
  for (let i = 0; i < sorted.length; i++) {
    const cap = rest / (sorted.length - i);
    if (sorted[i] >= cap) return widths.map((w) => Math.min(w, cap));
    rest -= sorted[i];
  }
  return [...widths];
}

interface LaidOutRow {
  readonly cells: WrappedLine[][];
  readonly lines: number;
}

function layoutRow(
  row: readonly Cell[],
  widths: readonly number[],
  padding: number,
  style: TextStyle,
  measurer: TextMeasurer,
): LaidOutRow {
  const cells = widths.map((width, column) =>
    (row[column] ?? []).flatMap((paragraph) =>
      wrapRuns(paragraph, Math.max(width - 2 * padding, 1), style.size, measurer),
    ),
  );
  return { cells, lines: Math.max(1, ...cells.map((lines) => lines.length)) };
}

/**
 * Draws a table at the flow's cursor. A row that does not fit moves to the next page, where the
 * header is repeated; a row taller than a whole page is split between lines.
 */
export function drawTable(flow: PageFlow, x: number, width: number, spec: TableSpec): void {
  const padding = spec.padding ?? 4;
  const headerStyle = spec.headerText ?? spec.text;
  const all = spec.header ? [spec.header, ...spec.rows] : spec.rows;
  const widths = spec.weights
    ? spec.weights.map((w) => (w * width) / spec.weights!.reduce((a, b) => a + b, 0))
    : columnWidths(all, width, spec.text.size, padding, flow.measurer);
  const align = spec.align ?? [];
  const header = spec.header
    ? layoutRow(spec.header, widths, padding, headerStyle, flow.measurer)
    : null;
  const headerHeight = header ? header.lines * flow.lineHeight(headerStyle) + 2 * padding : 0;
  const lineHeight = flow.lineHeight(spec.text);

  const drawSegment = (
    row: LaidOutRow,
    from: number,
    count: number,
    style: TextStyle,
    fill?: number,
  ) => {
    const height = count * flow.lineHeight(style) + 2 * padding;
    const page = flow.page;
    const top = flow.pdfY(flow.y);
    if (fill !== undefined) {
      page.fillRect({ x, y: top - height, width, height }, fill);
    }
    let cellX = x;
    row.cells.forEach((lines, column) => {
      const cellWidth = widths[column];
      lines.slice(from, from + count).forEach((line, i) => {
        const lineTop = flow.y + padding + i * flow.lineHeight(style);
        const inner = cellWidth - 2 * padding;
        const a = align[column] ?? 'left';
        const offset =
          a === 'right' ? inner - line.width : a === 'center' ? (inner - line.width) / 2 : 0;
        const cellStyle = { ...style, gray: spec.columnGray?.[column] ?? style.gray };
        const baseline = flow.baselineFor(lineTop, style);
        flow.placeLine(page, line, cellX + padding + Math.max(0, offset), baseline, cellStyle);
      });
      cellX += cellWidth;
    });
    if (spec.grid) {
      page.line(x, top, x + width, top, GRID_GRAY);
      page.line(x, top - height, x + width, top - height, GRID_GRAY);
      let edge = x;
      for (const cellWidth of [0, ...widths]) {
        edge += cellWidth;
        page.line(edge, top, edge, top - height, GRID_GRAY);
      }
    }
    flow.y += height;
  };

  const drawHeader = () => {
    if (header) drawSegment(header, 0, header.lines, headerStyle, spec.headerFill);
  };

  const rows = spec.rows.map((row) => layoutRow(row, widths, padding, spec.text, flow.measurer));
  const firstRowHeight = rows.length > 0 ? rows[0].lines * lineHeight + 2 * padding : 0;
  flow.ensure(Math.min(headerHeight + firstRowHeight, flow.contentHeight));
  drawHeader();
  for (const row of rows) {
    const rowHeight = row.lines * lineHeight + 2 * padding;
    if (rowHeight > flow.remaining + 0.01 && rowHeight <= flow.contentHeight - headerHeight) {
      flow.newPage();
      drawHeader();
    }
    let from = 0;
    while (from < row.lines) {
      let fit = Math.floor((flow.remaining - 2 * padding + 0.01) / lineHeight);
      if (fit < 1) {
        flow.newPage();
        drawHeader();
        fit = Math.floor((flow.remaining - 2 * padding + 0.01) / lineHeight);
      }
      const count = Math.max(1, Math.min(fit, row.lines - from));
      drawSegment(row, from, count, spec.text);
      from += count;
    }
  }
}
