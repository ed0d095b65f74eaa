import { endsWithEof, hasPdfHeader, parsePdfDate, scanSignatures } from './pdf-signature.scanner';

describe('pdf-signature.scanner', () => {
  it.each([
    ['D:20260304050607Z', '2026-03-04T05:06:07.000Z'],
    ["D:20260304070607+02'00'", '2026-03-04T05:06:07.000Z'],
    ["D:20260304003607-04'30'", '2026-03-04T05:06:07.000Z'],
    ['D:20260304050607', '2026-03-04T05:06:07.000Z'],
  ])('reads the PDF date %s', (value, iso) => {
    expect(parsePdfDate(value)?.toISOString()).toBe(iso);
  });

  it('ignores what is not a PDF date', () => {
    expect(parsePdfDate('yesterday')).toBeUndefined();
    expect(parsePdfDate(undefined)).toBeUndefined();
  });

  it('finds the header within the first 1024 bytes only', () => {
    expect(hasPdfHeader(Buffer.from('junk%PDF-1.7'))).toBe(true);
    expect(hasPdfHeader(Buffer.concat([Buffer.alloc(1100), Buffer.from('%PDF-1.7')]))).toBe(false);
  });

  it('knows a complete file ends with %%EOF', () => {
    expect(endsWithEof(Buffer.from('%PDF-1.7\n...\n%%EOF\n'))).toBe(true);
    expect(endsWithEof(Buffer.from('%PDF-1.7\n...\n%%EO'))).toBe(false);
  });

  it('scans every well-formed /ByteRange and skips malformed ones', () => {
    const bytes = Buffer.from(
      '/ByteRange [0 10 20 30] /ByteRange[ 0 1 2 3 ] /ByteRange [0 /x /y /z] /ByteRange [1 2]',
    );
    expect(scanSignatures(bytes).map((s) => s.byteRange)).toEqual([
      [0, 10, 20, 30],
      [0, 1, 2, 3],
    ]);
  });
});
