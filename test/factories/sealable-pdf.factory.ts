import { randomUUID } from 'node:crypto';
import { PDFDocument, StandardFonts } from 'pdf-lib';

/** A small unsaved PDF like the renderer's: text pages and an embedded evidence.json. */
export async function sealablePdf(
  options: { attestationId?: string; pages?: number; evidence?: object | null } = {},
): Promise<{ doc: PDFDocument; attestationId: string }> {
  const attestationId = options.attestationId ?? randomUUID();
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= (options.pages ?? 2); i++) {
    const page = doc.addPage([595, 842]);
    page.drawText(`Information security policy, page ${i}`, { x: 50, y: 780, size: 14, font });
    page.drawText(`Attestation ${attestationId}, page ${i} of ${options.pages ?? 2}`, {
      x: 50,
      y: 40,
      size: 8,
      font,
    });
  }
  if (options.evidence !== null) {
    const evidence = options.evidence ?? { attestationId, kind: 'signature' };
    await doc.attach(Buffer.from(JSON.stringify(evidence)), 'evidence.json', {
      mimeType: 'application/json',
      description: 'Attestation evidence',
    });
  }
  return { doc, attestationId };
}
