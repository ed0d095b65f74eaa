import { markdownBlocks } from './markdown-blocks';
import { layoutMarkdown } from './markdown-layout';
import { A4_PORTRAIT, PageFlow } from './page-flow';
import type { PlacedText } from './page-canvas';
import { PdfFontSet } from './pdf-fonts';

const fonts = new PdfFontSet();
const { width, height, marginLeft, marginRight, marginTop, marginBottom } = A4_PORTRAIT;

function laidOut(markdown: string): PageFlow {
  const flow = new PageFlow(fonts);
  layoutMarkdown(flow, markdownBlocks(markdown));
  return flow;
}

/** Every mark inside the writable area: nothing past the margins, nothing off the page. */
function expectInsideMargins(flow: PageFlow) {
  for (const page of flow.pages) {
    for (const text of page.texts) {
      expect(text.x).toBeGreaterThanOrEqual(marginLeft - 0.01);
      expect(text.x + text.width).toBeLessThanOrEqual(width - marginRight + 0.01);
      expect(text.y - text.size * 0.3).toBeGreaterThanOrEqual(marginBottom - 0.01);
      expect(text.y + text.size).toBeLessThanOrEqual(height - marginTop + 0.01);
    }
    for (const rect of page.rects) {
      expect(rect.x).toBeGreaterThanOrEqual(marginLeft - 0.01);
      expect(rect.x + rect.width).toBeLessThanOrEqual(width - marginRight + 0.01);
      expect(rect.y).toBeGreaterThanOrEqual(marginBottom - 0.01);
      expect(rect.y + rect.height).toBeLessThanOrEqual(height - marginTop + 0.01);
    }
  }
}

const lineOf = (texts: readonly PlacedText[], y: number) =>
  texts
    .filter((t) => Math.abs(t.y - y) < 0.01)
    .map((t) => t.text)
    .join('');

const paragraph = (n: number) =>
  `Paragraph ${n}: the Company protects the confidentiality, integrity and availability of the information it holds, and everyone who uses its systems must follow this policy.`;

describe(layoutMarkdown.name, () => {
  it('paginates a long document and keeps every line inside the margins', () => {
    const markdown = Array.from({ length: 60 }, (_, i) => paragraph(i + 1)).join('\n\n');

    const flow = laidOut(markdown);

    expect(flow.pages.length).toBeGreaterThanOrEqual(3);
    expectInsideMargins(flow);
    const text = flow.pages.flatMap((p) => p.texts.map((t) => t.text)).join(' ');
    expect(text).toContain('Paragraph 1:');
    expect(text).toContain('Paragraph 60:');
  });

  it('keeps a heading on the page of the text that follows it', () => {
    const filler = Array.from({ length: 15 }, (_, i) => paragraph(i)).join('\n\n');
    const pageBreaks = new Set<number>();
    for (let extra = 6; extra < 20; extra++) {
      const lines = Array.from({ length: extra }, (_, i) => `line ${i}`).join('  \n');
      const flow = laidOut(`${filler}\n\n${lines}\n\n## The heading\n\nThe text under it.`);

      const page = flow.pages.find((p) => p.texts.some((t) => t.text === 'The heading'))!;
      expect(page.texts.some((t) => t.text.startsWith('The text under it'))).toBe(true);
      pageBreaks.add(flow.pages.length);
    }
    // The sweep moves the heading across the foot of page 1.
    expect(pageBreaks).toEqual(new Set([1, 2]));
  });

  it('indents nested list items and puts a marker before each', () => {
    const flow = laidOut('- one\n  - two\n    1. three\n    2. four\n- five');
    const texts = flow.pages[0].texts;
    const x = (text: string) => texts.find((t) => t.text === text)!.x;

    expect(x('two')).toBeGreaterThan(x('one'));
    expect(x('three')).toBeGreaterThan(x('two'));
    expect(x('five')).toBe(x('one'));
    for (const item of ['one', 'two', 'three', 'four', 'five']) {
      const y = texts.find((t) => t.text === item)!.y;
      expect(lineOf(texts, y)).toMatch(new RegExp(`^(•|◦|▪|\\d\\.)${item}$`));
    }
    expect(lineOf(texts, texts.find((t) => t.text === 'four')!.y)).toBe('2.four');
  });

  it('indents a long numbered list enough for its widest number', () => {
    const items = Array.from({ length: 120 }, (_, i) => `${i + 1}. item`).join('\n');

    const flow = laidOut(items);

    expect(flow.pages.flatMap((p) => p.texts).some((t) => t.text === '120.')).toBe(true);
    expectInsideMargins(flow);
  });

  it('stops indenting very deep lists before they leave the page', () => {
    const deep = Array.from(
      { length: 40 },
      (_, i) => `${'  '.repeat(i)}- level ${i} ${'word '.repeat(12)}`,
    );

    const flow = laidOut(deep.join('\n'));

    expect(flow.pages.flatMap((p) => p.texts).some((t) => t.text.includes('level 39'))).toBe(true);
    expectInsideMargins(flow);
  });

  it('keeps a code block’s indentation and shades it', () => {
    const flow = laidOut('```\nif (x) {\n    return 1;\n}\n```');
    const texts = flow.pages[0].texts;

    expect(texts.map((t) => t.text)).toEqual([
      'if\u00a0(x)\u00a0{',
      '\u00a0\u00a0\u00a0\u00a0return\u00a01;',
      '}',
    ]);
    expect(texts.every((t) => t.style === 'mono')).toBe(true);
    expect(flow.pages[0].rects.length).toBe(1);
  });

  it('breaks long words, URLs and tables so nothing runs off the right edge', () => {
    const markdown = [
      `A hash: ${'f'.repeat(200)} and https://example.com/${'segment/'.repeat(30)}`,
      '| A | B |\n| --- | --- |\n' + `| ${'x'.repeat(300)} | ${'y '.repeat(300)} |`,
      `> ${'quoted '.repeat(200)}`,
    ].join('\n\n');

    const flow = laidOut(markdown);

    expect(flow.pages.flatMap((p) => p.texts).some((t) => t.text.startsWith('fff'))).toBe(true);
    expectInsideMargins(flow);
  });
});
