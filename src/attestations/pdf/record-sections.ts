import type { SealIdentity } from './attestation-pdf.types';
import type { PageFlow, TextStyle } from './page-flow';
import { drawQrCode } from './qr-code';
import { drawTable } from './table-layout';
import type { TextRun } from './text-wrap';

/** One labelled value on a record page. Identifiers and hashes print in monospace. */
export interface Field {
  readonly label: string;
  readonly value: string;
  readonly mono?: boolean;
}

export const TITLE: TextStyle = { size: 16, leading: 1.3, gray: 0 };
const SECTION: TextStyle = { size: 10.5, leading: 1.35, gray: 0.15 };
const FIELD: TextStyle = { size: 9, leading: 1.3, gray: 0 };
const QR_SIZE = 92;
const LABEL_WIDTH = 125;

export function valueRuns(field: Field): TextRun[] {
  return [{ text: field.value, style: field.mono ? 'mono' : 'regular' }];
}

/** A section heading kept with the first lines below it, and a rule under it. */
export function drawSectionHeading(flow: PageFlow, title: string, keepWith: number): void {
  flow.gap(5);
  flow.ensure(flow.lineHeight(SECTION) + 4 + keepWith);
  flow.paragraph([{ text: title, style: 'bold' }], flow.left, flow.contentWidth, SECTION);
  const y = flow.pdfY(flow.y + 1);
  flow.page.line(flow.left, y, flow.left + flow.contentWidth, y, 0.75, 0.5);
  flow.y += 3;
}

/** Label/value rows in a column; long values (hashes, user agents) wrap in theirs. */
export function drawFields(flow: PageFlow, x: number, width: number, fields: readonly Field[]) {
  drawTable(flow, x, width, {
    rows: fields.map((field) => [[[{ text: field.label, style: 'regular' }]], [valueRuns(field)]]),
    // The labels line up across sections, and the values have room for a 64-digit SHA-256.
    weights: [LABEL_WIDTH, width - LABEL_WIDTH],
    text: FIELD,
    padding: 1.5,
    columnGray: [0.35, 0],
  });
}

/** A titled list of label/value pairs. */
export function drawSection(flow: PageFlow, title: string, fields: readonly Field[]): void {
  drawSectionHeading(flow, title, flow.lineHeight(FIELD) * 2);
  drawFields(flow, flow.left, flow.contentWidth, fields);
}

/**
 * Content drawn in a column to the left of a QR code of `url` at the top right. The QR code is
 * drawn first, on the current page, so it stays with the start of the block.
 */
export function drawBesideQrCode(flow: PageFlow, url: string, left: (width: number) => void) {
  flow.ensure(QR_SIZE);
  const top = flow.y;
  drawQrCode(
    flow.page,
    url,
    flow.left + flow.contentWidth - QR_SIZE,
    flow.pdfY(top + QR_SIZE),
    QR_SIZE,
  );
  left(flow.contentWidth - QR_SIZE - 12);
  flow.y = Math.max(flow.y, top + QR_SIZE);
}

/** Where and how to check the seal. */
export function drawVerification(flow: PageFlow, url: string, note: string, seal: SealIdentity) {
  drawSectionHeading(flow, 'Seal and verification', flow.lineHeight(FIELD) * 3);
  flow.paragraph([{ text: note, style: 'regular' }], flow.left, flow.contentWidth, FIELD);
  drawFields(flow, flow.left, flow.contentWidth, [
    { label: 'Verify at', value: url, mono: true },
    { label: 'Seal certificate', value: seal.subject },
    { label: 'Certificate SHA-256', value: seal.fingerprintSha256, mono: true },
  ]);
}
