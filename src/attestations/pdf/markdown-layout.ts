import type { FontStyle } from './font-faces';
import type { Block } from './markdown-blocks';
import { BODY, type PageFlow, type TextStyle } from './page-flow';
import { drawTable } from './table-layout';
import type { TextRun } from './text-wrap';

const HEADINGS: Record<number, TextStyle> = {
  1: { size: 18, leading: 1.25, gray: 0 },
  2: { size: 14, leading: 1.3, gray: 0 },
  3: { size: 12, leading: 1.3, gray: 0 },
};
const MINOR_HEADING: TextStyle = { size: 10.5, leading: 1.35, gray: 0 };
const CODE: TextStyle = { size: 8.5, leading: 1.35, gray: 0 };
const TABLE_TEXT: TextStyle = { size: 9, leading: 1.3, gray: 0 };
const QUOTE_TEXT: TextStyle = { ...BODY, gray: 0.25 };

const LIST_INDENT = 18;
const QUOTE_INDENT = 14;
const PARAGRAPH_GAP = 6;
const BULLETS = ['•', '◦', '▪'];
// Deeply nested lists and quotes stop indenting here, so text never runs off the page.
const MIN_INDENTED_WIDTH = 160;

function indented(region: Region, indent: number, text = region.text): Region {
  const step = region.width - indent >= MIN_INDENTED_WIDTH ? indent : 0;
  return { x: region.x + step, width: region.width - step, text };
}

const BOLDER: Record<FontStyle, FontStyle> = {
  regular: 'bold',
  bold: 'bold',
  italic: 'boldItalic',
  boldItalic: 'boldItalic',
  mono: 'mono',
};

/** The runs in bold, for headings and table headers. */
export function bolder(runs: readonly TextRun[]): TextRun[] {
  return runs.map((run) => ({ text: run.text, style: BOLDER[run.style] }));
}

interface Region {
  readonly x: number;
  readonly width: number;
  readonly text: TextStyle;
}

/** Draws a shape beside a block on every page the block covers (quote bars, code shading). */
function decorate(
  flow: PageFlow,
  startPage: number,
  startY: number,
  paint: (pageIndex: number, top: number, bottom: number) => void,
  trailingGap = 0,
) {
  const last = flow.pages.length - 1;
  for (let index = startPage; index <= last; index++) {
    const top = index === startPage ? startY : flow.geometry.marginTop;
    const bottom = index === last ? flow.y - trailingGap : flow.bottom;
    if (bottom > top) paint(index, top, bottom);
  }
}

function layoutBlock(flow: PageFlow, block: Block, region: Region): void {
  switch (block.kind) {
    case 'heading': {
      const style = HEADINGS[block.level] ?? MINOR_HEADING;
      flow.gap(style.size * (block.level <= 2 ? 0.9 : 0.6));
      // Keep the heading with at least two lines of what follows.
      flow.ensure(flow.lineHeight(style) * 2 + flow.lineHeight(region.text) * 2);
      flow.paragraph(bolder(block.runs), region.x, region.width, style);
      flow.gap(style.size * 0.35);
      return;
    }
    case 'paragraph':
      flow.paragraph(block.runs, region.x, region.width, region.text);
      flow.gap(PARAGRAPH_GAP);
      return;
    case 'list':
      layoutList(flow, block, region);
      return;
    case 'table':
      flow.gap(2);
      drawTable(flow, region.x, region.width, {
        header: block.header.map((cell) => [bolder(cell)]),
        rows: block.rows.map((row) => row.map((cell) => [cell])),
        align: block.align,
        text: TABLE_TEXT,
        grid: true,
        headerFill: 0.92,
      });
      flow.gap(PARAGRAPH_GAP + 2);
      return;
    case 'quote': {
      flow.ensure(flow.lineHeight(region.text) * 2);
      const [startPage, startY] = [flow.pages.length - 1, flow.y];
      const inner = indented(region, QUOTE_INDENT, QUOTE_TEXT);
      layoutBlocks(flow, block.blocks, inner);
      decorate(
        flow,
        startPage,
        startY,
        (index, top, bottom) =>
          flow.pages[index].fillRect(
            { x: region.x + 2, y: flow.pdfY(bottom), width: 2.5, height: bottom - top },
            0.75,
          ),
        PARAGRAPH_GAP,
      );
      return;
    }
    case 'code': {
      const lineHeight = flow.lineHeight(CODE);
      flow.ensure(lineHeight * 2 + 8);
      const [startPage, startY] = [flow.pages.length - 1, flow.y];
      flow.y += 4;
      for (const sourceLine of block.text.split('\n')) {
        // No-break spaces keep a code line's indentation and alignment; long lines break anywhere.
        const text = sourceLine.replace(/ /g, '\u00a0');
        flow.paragraph([{ text, style: 'mono' }], region.x + 6, region.width - 12, CODE);
      }
      flow.y = Math.min(flow.y + 4, flow.bottom);
      decorate(flow, startPage, startY, (index, top, bottom) =>
        flow.pages[index].fillRect(
          { x: region.x, y: flow.pdfY(bottom), width: region.width, height: bottom - top },
          0.95,
        ),
      );
      flow.gap(PARAGRAPH_GAP);
      return;
    }
    case 'rule': {
      flow.gap(4);
      flow.ensure(8);
      const y = flow.pdfY(flow.y + 4);
      flow.page.line(region.x, y, region.x + region.width, y, 0.6, 0.75);
      flow.y += 8;
      flow.gap(PARAGRAPH_GAP);
      return;
    }
  }
}

function layoutList(
  flow: PageFlow,
  block: Extract<Block, { kind: 'list' }>,
  region: Region,
  depth = 0,
) {
  // Room for the widest number ("128.") as well as for a bullet.
  const widest = block.ordered ? `${block.start + block.items.length - 1}.` : '•';
  const markerWidth = flow.measurer.width(widest, 'regular', region.text.size);
  const inner = indented(region, Math.max(LIST_INDENT, markerWidth + 9));
  block.items.forEach((item, index) => {
    const marker = block.ordered ? `${block.start + index}.` : BULLETS[depth % BULLETS.length];
    flow.setMarker(marker, 'regular', inner.x - 5);
    if (item.length === 0) item = [{ kind: 'paragraph', runs: [{ text: ' ', style: 'regular' }] }];
    item.forEach((child, i) => {
      if (child.kind === 'list') layoutList(flow, child, inner, depth + 1);
      else if (child.kind === 'paragraph') {
        flow.paragraph(child.runs, inner.x, inner.width, inner.text);
        // Tight items sit close together; the last paragraph of an item gets a small gap.
        if (i < item.length - 1) flow.gap(PARAGRAPH_GAP / 2);
      } else layoutBlock(flow, child, inner);
    });
    flow.gap(2);
  });
  if (depth === 0) flow.gap(PARAGRAPH_GAP - 2);
}

function layoutBlocks(flow: PageFlow, blocks: readonly Block[], region: Region): void {
  for (const block of blocks) layoutBlock(flow, block, region);
}

/** Lays out a document's blocks across as many pages as they need. */
export function layoutMarkdown(flow: PageFlow, blocks: readonly Block[]): void {
  layoutBlocks(flow, blocks, { x: flow.left, width: flow.contentWidth, text: BODY });
}
