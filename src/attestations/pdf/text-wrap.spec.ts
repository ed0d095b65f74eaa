import type { TextMeasurer } from './pdf-fonts';
import { PdfFontSet } from './pdf-fonts';
import { measureRuns, wrapRuns, type TextRun, type WrappedLine } from './text-wrap';

/** Every character is `size` points wide; bold ones twice that. Sanitizing changes nothing. */
const fixedWidth: TextMeasurer = {
  width: (text, style, size) => Array.from(text).length * size * (style === 'bold' ? 2 : 1),
  sanitize: (text) => text,
  ascent: 0.8,
  descent: -0.2,
};

const textOf = (line: WrappedLine) => line.fragments.map((f) => f.text).join('');
const plain = (text: string): TextRun[] => [{ text, style: 'regular' }];

describe(wrapRuns.name, () => {
  it('fills each line greedily with whole words', () => {
    const lines = wrapRuns(plain('aaa bbb ccc dddd e'), 8, 1, fixedWidth);

    expect(lines.map(textOf)).toEqual(['aaa bbb', 'ccc dddd', 'e']);
    expect(lines.map((l) => l.width)).toEqual([7, 8, 1]);
  });

  it('starts a new line at a hard break and collapses runs of spaces', () => {
    const lines = wrapRuns(plain('one   two\nthree'), 100, 1, fixedWidth);

    expect(lines.map(textOf)).toEqual(['one two', 'three']);
  });

  it('keeps a word whole across style changes and places fragments side by side', () => {
    const runs: TextRun[] = [
      { text: 'see ', style: 'regular' },
      { text: 'this', style: 'bold' },
      { text: ', then go', style: 'regular' },
    ];

    const lines = wrapRuns(runs, 14, 1, fixedWidth);

    expect(lines.map(textOf)).toEqual(['see this,', 'then go']);
    expect(lines[0].fragments).toEqual([
      { text: 'see ', style: 'regular', x: 0, width: 4 },
      { text: 'this', style: 'bold', x: 4, width: 8 },
      { text: ',', style: 'regular', x: 12, width: 1 },
    ]);
  });

  it('breaks a token wider than the line after a separator, never past the width', () => {
    const url = 'https://idp.example.com/realms/attest/protocol/saml';

    const lines = wrapRuns(plain(url), 20, 1, fixedWidth);

    expect(lines.map(textOf).join('')).toBe(url);
    expect(lines.every((l) => l.width <= 20)).toBe(true);
    expect(textOf(lines[0])).toBe('https://idp.example.');
    expect(textOf(lines[1])).toBe('com/realms/attest/');
  });

  it('never ends a line with a hyphen, which text extraction would drop', () => {
    const uuid = '988f6ba0-5f8d-4236-bc78-e1b82c0c037d';

    for (let width = 5; width < 36; width++) {
      const lines = wrapRuns(plain(uuid), width, 1, fixedWidth);

      expect(lines.map(textOf).join('')).toBe(uuid);
      for (const line of lines.slice(0, -1)) expect(textOf(line).endsWith('-')).toBe(false);
    }
  });

  it('breaks a hash with no separators between characters', () => {
    const hash = 'a'.repeat(64);

    const lines = wrapRuns(plain(`sha ${hash}`), 30, 1, fixedWidth);

    expect(lines.map(textOf)).toEqual(['sha', 'a'.repeat(30), 'a'.repeat(30), 'aaaa']);
  });

  it('puts a character wider than the line on a line of its own rather than looping', () => {
    const lines = wrapRuns([{ text: 'WW', style: 'bold' }], 1, 1, fixedWidth);

    expect(lines.map(textOf)).toEqual(['W', 'W']);
  });

  it('gives one empty line for empty text', () => {
    expect(wrapRuns(plain(''), 10, 1, fixedWidth)).toEqual([{ fragments: [], width: 0 }]);
  });

  it('keeps every line of real DejaVu text within the width', () => {
    const fonts = new PdfFontSet();
    const text =
      'Zoë Łukasiewicz-Ørsted and François Dvořák met Ağca Şimşek to review the Information Security Policy; ' +
      'their user agent was Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko).';

    for (const width of [60, 97.5, 150, 233, 400]) {
      const lines = wrapRuns(
        [
          { text, style: 'regular' },
          { text: ' and in bold ', style: 'bold' },
          { text, style: 'mono' },
        ],
        width,
        9,
        fonts,
      );
      for (const line of lines) {
        const drawn = line.fragments.reduce((sum, f) => sum + fonts.width(f.text, f.style, 9), 0);
        expect(drawn).toBeLessThanOrEqual(width + 1e-9);
        expect(line.width).toBeCloseTo(drawn, 6);
      }
    }
  });
});

describe(measureRuns.name, () => {
  it('reports the widest word and the unwrapped width', () => {
    expect(measureRuns(plain('ab abcd\nabcdef abc'), 1, fixedWidth)).toEqual({
      minWidth: 6,
      maxWidth: 10,
    });
  });
});
