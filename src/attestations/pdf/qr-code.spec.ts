import { create } from 'qrcode';
import { PageCanvas } from './page-canvas';
import { drawQrCode, qrCodeRects } from './qr-code';

const URL = 'https://attest.example.com/verify/7202662f-f439-45b1-97e3-e735e06f82d8';

describe(qrCodeRects.name, () => {
  // The same symbol as the code draws: one byte-mode segment, level M.
  const { modules } = create([{ data: Buffer.from(URL), mode: 'byte' }], {
    errorCorrectionLevel: 'M',
  });
  const size = 92;
  const unit = size / (modules.size + 8);
  const rects = qrCodeRects(URL, 100, 200, size);

  it('covers exactly the dark modules, merging each row’s runs into one rectangle', () => {
    const dark: string[] = [];
    for (let row = 0; row < modules.size; row++) {
      for (let col = 0; col < modules.size; col++)
        if (modules.get(row, col)) dark.push(`${row},${col}`);
    }
    const covered: string[] = [];
    for (const r of rects) {
      const row = Math.round((200 + size - r.y) / unit) - 4 - 1;
      const first = Math.round((r.x - 100) / unit) - 4;
      for (let col = first; col < first + Math.round(r.width / unit); col++)
        covered.push(`${row},${col}`);
      expect(r.height).toBeCloseTo(unit, 9);
    }

    expect(covered.sort()).toEqual(dark.sort());
    expect(rects.length).toBeLessThan(dark.length);
  });

  it('stays inside its square and leaves a four-module quiet zone', () => {
    for (const r of rects) {
      expect(r.x).toBeGreaterThanOrEqual(100 + 4 * unit - 1e-9);
      expect(r.y).toBeGreaterThanOrEqual(200 + 4 * unit - 1e-9);
      expect(r.x + r.width).toBeLessThanOrEqual(100 + size - 4 * unit + 1e-9);
      expect(r.y + r.height).toBeLessThanOrEqual(200 + size - 4 * unit + 1e-9);
    }
  });

  it('draws vector rectangles filled as one path, not an image', () => {
    const page = new PageCanvas();

    drawQrCode(page, URL, 100, 200, size);

    const content = page.contentStream(new Map());
    expect(content.match(/ re\n/g)?.length ?? 0).toBe(rects.length);
    expect(content.match(/\nf Q$/g)).toHaveLength(1);
    expect(content).not.toContain('Do');
  });
});
