import { A4_PORTRAIT, PageFlow, type TextStyle } from './page-flow';
import { PdfFontSet } from './pdf-fonts';
import { columnWidths, drawTable, type Cell } from './table-layout';

const fonts = new PdfFontSet();
const STYLE: TextStyle = { size: 9, leading: 1.3, gray: 0 };
const cell = (text: string): Cell => [[{ text, style: 'regular' }]];
const { height, marginTop, marginBottom } = A4_PORTRAIT;

function expectInside(flow: PageFlow, left: number, right: number) {
  for (const page of flow.pages) {
    for (const text of page.texts) {
      expect(text.x).toBeGreaterThanOrEqual(left - 0.01);
      expect(text.x + text.width).toBeLessThanOrEqual(right + 0.01);
      expect(text.y).toBeGreaterThan(marginBottom);
      expect(text.y).toBeLessThan(height - marginTop);
    }
    for (const rect of page.rects) {
      expect(rect.y).toBeGreaterThanOrEqual(marginBottom - 0.01);
      expect(rect.y + rect.height).toBeLessThanOrEqual(height - marginTop + 0.01);
    }
  }
}

describe(columnWidths.name, () => {
  it('gives columns their unwrapped width, stretched to the table, when everything fits', () => {
    const widths = columnWidths([[cell('aaaa'), cell('aaaaaaaa')]], 300, 9, 4, fonts);

    expect(widths[0] + widths[1]).toBeCloseTo(300, 6);
    expect(widths[1]).toBeGreaterThan(widths[0]);
  });

  it('wraps the long column and keeps short words whole when space is short', () => {
    const rows = [[cell('complete'), cell('x '.repeat(200)), cell('2026-01-15')]];

    const widths = columnWidths(rows, 300, 9, 4, fonts);

    expect(widths.reduce((a, b) => a + b)).toBeCloseTo(300, 6);
    expect(widths[0]).toBeGreaterThanOrEqual(fonts.width('complete', 'regular', 9) + 8);
    expect(widths[2]).toBeGreaterThanOrEqual(fonts.width('2026-01-15', 'regular', 9) + 8);
  });

  it('narrows only the columns holding long unbreakable tokens when even words do not fit', () => {
    const rows = [
      [cell('due'), cell('a'.repeat(120)), cell('b'.repeat(120)), cell('c'.repeat(99))],
    ];

    const widths = columnWidths(rows, 300, 9, 4, fonts);

    expect(widths.reduce((a, b) => a + b)).toBeCloseTo(300, 6);
    expect(widths[0]).toBeGreaterThanOrEqual(fonts.width('due', 'regular', 9) + 8);
    expect(widths[1]).toBeCloseTo(widths[2], 6);
    expect(widths[2]).toBeCloseTo(widths[3], 6);
  });
});

describe(drawTable.name, () => {
  it('repeats the header on every page and keeps the rows in order inside the table', () => {
    const flow = new PageFlow(fonts);
    const rows = Array.from({ length: 150 }, (_, i) => [
      cell(`row-${i}`),
      cell(`Follow this policy and report suspected misuse or incidents without delay (${i}).`),
    ]);

    drawTable(flow, flow.left, flow.contentWidth, {
      header: [cell('Requirement'), cell('Responsibility')],
      rows,
      text: STYLE,
      grid: true,
      headerFill: 0.9,
    });

    expect(flow.pages.length).toBeGreaterThan(2);
    for (const page of flow.pages) {
      const top = Math.max(...page.texts.map((t) => t.y));
      expect(page.texts.find((t) => t.text === 'Requirement')?.y).toBe(top);
    }
    const order = flow.pages.flatMap((p) => p.texts.filter((t) => t.text.startsWith('row-')));
    expect(order.map((t) => t.text)).toEqual(rows.map((_, i) => `row-${i}`));
    expectInside(flow, flow.left, flow.left + flow.contentWidth);
  });

  it('moves a row that does not fit to the next page instead of cutting it', () => {
    const flow = new PageFlow(fonts);
    flow.newPage();
    flow.y = flow.bottom - 30;

    drawTable(flow, flow.left, 200, {
      rows: [[cell('one\ntwo\nthree\nfour')]],
      text: STYLE,
    });

    expect(flow.pages.length).toBe(2);
    expect(flow.pages[0].texts).toEqual([]);
    expect(flow.pages[1].texts.map((t) => t.text)).toEqual(['one', 'two', 'three', 'four']);
  });

  it('splits a row taller than a page between its lines', () => {
    const flow = new PageFlow(fonts);
    const lines = Array.from({ length: 130 }, (_, i) => `line ${i}`);

    drawTable(flow, flow.left, flow.contentWidth, {
      header: [cell('Head'), cell('Other')],
      rows: [[cell(lines.join('\n')), cell('short')]],
      text: STYLE,
      grid: true,
    });

    expect(flow.pages.length).toBe(3);
    const drawn = flow.pages.flatMap((p) => p.texts.map((t) => t.text));
    expect(drawn.filter((t) => t.startsWith('line '))).toEqual(lines);
    expect(drawn.filter((t) => t === 'Head')).toHaveLength(3);
    expectInside(flow, flow.left, flow.left + flow.contentWidth);
  });

  it('keeps wrapped cell text within its column', () => {
    const flow = new PageFlow(fonts);

    drawTable(flow, flow.left, 300, {
      rows: [[cell('short'), cell('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36')]],
      weights: [1, 2],
      text: STYLE,
    });

    const texts = flow.pages[0].texts;
    const first = texts.filter((t) => t.x < flow.left + 100);
    const second = texts.filter((t) => t.x >= flow.left + 100);
    expect(first.map((t) => t.text)).toEqual(['short']);
    expect(second.length).toBeGreaterThan(1);
    for (const t of second) expect(t.x + t.width).toBeLessThanOrEqual(flow.left + 300);
  });
});
