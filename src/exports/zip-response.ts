import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';

/** Headers for a ZIP download; nothing is cached on the way (the ZIP holds personal data). */
export function startZipDownload(res: Response, fileName: string): void {
  res.setHeader('Content-Type', 'application/zip');
  res.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
  res.setHeader('Cache-Control', 'no-store');
}

/**
 * Sends a stored export. RFC 9530 Repr-Digest carries the SHA-256 the job recorded, so a client
 * can check the download against the export page without unpacking it.
 */
export async function sendExportFile(
  res: Response,
  file: { stream: Readable; size: number; fileName: string; sha256: string | null },
): Promise<void> {
  startZipDownload(res, file.fileName);
  res.setHeader('Content-Length', String(file.size));
  if (file.sha256) {
    res.setHeader('Repr-Digest', `sha-256=:${Buffer.from(file.sha256, 'hex').toString('base64')}:`);
  }
  try {
    await pipeline(file.stream, res);
  } catch {
    // The client went away mid-download; the file itself is unharmed.
    file.stream.destroy();
  }
}
