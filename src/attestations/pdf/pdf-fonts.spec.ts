import { inflateSync } from 'node:zlib';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, type PDFRef } from 'pdf-lib';
import { PdfFontSet } from './pdf-fonts';

/** Reads a PDF literal string body back to bytes (PDF 32000-1 §7.3.4.2 escapes). */
function unescapeLiteral(body: string): number[] {
  const bytes: number[] = [];
  const named: Record<string, number> = { n: 0x0a, r: 0x0d, '(': 0x28, ')': 0x29, '\\': 0x5c };
  for (let i = 0; i < body.length; i++) {
    const char = body[i];
    expect(char === '(' || char === ')').toBe(false);
    if (char === '\\') bytes.push(named[body[++i]]);
    else bytes.push(char.charCodeAt(0));
  }
  return bytes;
}

async function embedded(text: string) {
  // No creation and modification dates: two documents made a second apart must save alike.
  const doc = await PDFDocument.create({ updateMetadata: false });
  const fonts = new PdfFontSet();
  fonts.use(text, 'regular');
  const font = (await fonts.embed(doc.context)).get('regular')!;
  const dict = doc.context.lookup(font.ref, PDFDict);
  const descendant = dict
    .lookup(PDFName.of('DescendantFonts'), PDFArray)
    .lookup(0, PDFDict)
    .get(PDFName.of('Subtype'))
    ?.toString();
  const lookupStream = (ref: PDFRef) =>
    inflateSync((doc.context.lookup(ref) as PDFRawStream).contents);
  const toUnicode = lookupStream(dict.get(PDFName.of('ToUnicode')) as PDFRef).toString('latin1');
  return { doc, font, dict, descendant, toUnicode };
}

// 90 distinct characters: enough that some glyph ids hit the bytes '(' ')' '\' and CR.
const ALPHABET =
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789()[]{}\\/.,;:!?-_ÆØÅæøåŁłŞşĞğ';

describe(PdfFontSet.name, () => {
  it('writes a tagged TrueType subset with a ToUnicode map', async () => {
    const { dict, descendant, toUnicode } = await embedded('Zoë Łukasiewicz-Ørsted');

    expect(dict.get(PDFName.of('BaseFont'))?.toString()).toMatch(/^\/[A-Z]{6}\+DejaVuSans$/);
    expect(dict.get(PDFName.of('Encoding'))?.toString()).toBe('/Identity-H');
    expect(descendant).toBe('/CIDFontType2');
    expect(toUnicode).toContain('<0141>'); // Ł
    expect(toUnicode).toContain('<00eb>'); // ë
  });

  it('encodes text as escaped two-byte glyph ids that the ToUnicode map turns back into text', async () => {
    const { font, toUnicode } = await embedded(ALPHABET);
    const unicodeOf = new Map(
      [...toUnicode.matchAll(/<([0-9a-f]{4})> <([0-9a-f]+)>/g)].map(([, cid, utf16]) => [
        parseInt(cid, 16),
        String.fromCharCode(...utf16.match(/.{4}/g)!.map((h) => parseInt(h, 16))),
      ]),
    );

    const bytes = unescapeLiteral(font.encode(ALPHABET));
    const cids = Array.from(
      { length: bytes.length / 2 },
      (_, i) => bytes[2 * i] * 256 + bytes[2 * i + 1],
    );

    expect(cids.map((cid) => unicodeOf.get(cid)).join('')).toBe(ALPHABET);
    expect(cids.some((cid) => [0x28, 0x29, 0x5c].includes(cid & 0xff))).toBe(true);
  });

  it('gives the same subset for the same characters in any order', async () => {
    const a = await embedded('abc xyz ØÆ');
    const b = await embedded('ÆØ zyx cba');

    expect(a.dict.get(PDFName.of('BaseFont'))).toEqual(b.dict.get(PDFName.of('BaseFont')));
    expect(a.font.encode('cab')).toBe(b.font.encode('cab'));
    expect(await a.doc.save()).toEqual(await b.doc.save());
  });

  it('gives a different subset tag to a different character set', async () => {
    const a = await embedded('abc');
    const b = await embedded('abd');

    expect(a.dict.get(PDFName.of('BaseFont'))).not.toEqual(b.dict.get(PDFName.of('BaseFont')));
  });

  it('embeds only the faces that were used', async () => {
    const doc = await PDFDocument.create();
    const fonts = new PdfFontSet();
    fonts.use('x', 'bold');
    fonts.use('y', 'mono');

    const embeddedFonts = await fonts.embed(doc.context);

    expect([...embeddedFonts.keys()]).toEqual(['bold', 'mono']);
  });
});
