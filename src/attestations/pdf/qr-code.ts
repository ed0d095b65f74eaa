import { create } from 'qrcode';
import type { PageCanvas, PlacedRect } from './page-canvas';

/** ISO/IEC 18004 §6.3.8: four modules of light margin around the symbol. */
const QUIET_ZONE = 4;

/**
 * The dark modules of a QR code for `text` as rectangles, one per horizontal run of dark
 * modules, inside a square of `size` points whose bottom-left corner is (x, y). Vector
 * rectangles rather than an image: sharp at any zoom, and a few hundred bytes.
 */
export function qrCodeRects(text: string, x: number, y: number, size: number): PlacedRect[] {
  // Level M (15 % recovery) survives a printed, folded or photographed page. One byte-mode
  // segment (ISO/IEC 18004 §7.4.5): a URL is mostly bytes anyway, and searching for the
  // optimal mix of modes cost more than the rest of the symbol.
  const { modules } = create([{ data: Buffer.from(text, 'utf8'), mode: 'byte' }], {
    errorCorrectionLevel: 'M',
  });
  const count = modules.size;
  const module = size / (count + 2 * QUIET_ZONE);
  const rects: PlacedRect[] = [];
  for (let row = 0; row < count; row++) {
    let col = 0;
    while (col < count) {
      if (!modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < count && modules.get(row, col)) col++;
      rects.push({
        x: x + (QUIET_ZONE + start) * module,
        y: y + size - (QUIET_ZONE + row + 1) * module,
        width: (col - start) * module,
        height: module,
      });
    }
  }
  return rects;
}

export function drawQrCode(page: PageCanvas, text: string, x: number, y: number, size: number) {
  page.fillRects(qrCodeRects(text, x, y, size), 0);
}
