import { FONT_STYLES, fontFace, fontFileBytes, REPLACEMENT } from './font-faces';

describe('fontFace', () => {
  const regular = fontFace('regular');

  it.each(['Zoë Łukasiewicz-Ørsted', 'François Dvořák', 'Ağca Şimşek', 'Ærøskøbing ÿ ß Œuvre'])(
    'draws the European name %s unchanged in every face',
    (name) => {
      for (const style of FONT_STYLES) expect(fontFace(style).sanitize(name)).toBe(name);
    },
  );

  it('covers all of Latin-1 and Latin Extended-A', () => {
    const missing: string[] = [];
    for (let codePoint = 0xa0; codePoint <= 0x17f; codePoint++) {
      if (codePoint === 0xad) continue; // soft hyphen: invisible by design
      if (!regular.glyph(codePoint)) missing.push(codePoint.toString(16));
    }

    expect(missing).toEqual([]);
  });

  it('replaces characters the face has no glyph for with a question mark', () => {
    const q = REPLACEMENT;

    expect(regular.sanitize('山田 太郎 क 🧑 😀 € → ✓')).toBe(
      `${q}${q} ${q}${q} ${q} ${q} 😀 € → ✓`,
    );
  });

  it('drops control and zero-width characters and turns tabs into spaces', () => {
    expect(regular.sanitize('a\u0000b\u0007c\u200bd\u00ade\tf\u0085g')).toBe('abcde fg');
  });

  it('composes decomposed accents so they print as one glyph', () => {
    expect(regular.sanitize('Zoe\u0308')).toBe('Zoë');
  });

  it('keeps line breaks for the wrapper to act on', () => {
    expect(regular.sanitize('one\ntwo')).toBe('one\ntwo');
  });

  it('measures with the advance widths the PDF viewer uses', () => {
    // DejaVu Sans, in thousandths of an em: "i" 278, "W" 989, a space 318; the mono face 602.
    const i = regular.advanceOf('i');
    const w = regular.advanceOf('W');
    const space = regular.advanceOf(' ');

    expect([i, w, space].map(Math.round)).toEqual([278, 989, 318]);
    expect(regular.advanceOf('i W')).toBe(i + space + w);
    expect(Math.round(fontFace('mono').advanceOf('iW'))).toBe(2 * 602);
  });
});

describe('fontFileBytes', () => {
  it('reads each font file once and shares the bytes', () => {
    expect(fontFileBytes('bold')).toBe(fontFileBytes('bold'));
    expect(fontFace('bold')).toBe(fontFace('bold'));
  });

  it.each(FONT_STYLES)(
    'finds no odd-length glyph record in the %s face, so fontkit subsets it correctly',
    (style) => {
      // @pdf-lib/fontkit writes short 'loca' offsets without padding odd-length glyph records,
      // which would shift every later glyph in a subset. DejaVu's records are all even.
      const { offsets } = (fontFace(style).font as unknown as { loca: { offsets: number[] } }).loca;
      const odd = offsets.slice(1).filter((end, i) => (end - offsets[i]) % 2 !== 0);

      expect(offsets.length).toBeGreaterThan(1000);
      expect(odd).toEqual([]);
    },
  );
});
