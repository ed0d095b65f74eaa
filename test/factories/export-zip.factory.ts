import { createHash } from 'node:crypto';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { type Entry, openPromise } from 'yauzl';
import { ZipFile } from 'yazl';

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Every file of a ZIP, in order, with its bytes (exports in tests are small). */
export async function unzipFile(path: string): Promise<Map<string, Buffer>> {
  const archive = await openPromise(path, { lazyEntries: true });
  const files = new Map<string, Buffer>();
  await new Promise<void>((resolve, reject) => {
    archive.on('entry', (entry: Entry) => {
      archive.openReadStreamPromise(entry).then(async (stream) => {
        const chunks: Buffer[] = [];
        for await (const chunk of stream) chunks.push(chunk as Buffer);
        files.set(entry.fileName, Buffer.concat(chunks));
        archive.readEntry();
      }, reject);
    });
    archive.on('end', resolve);
    archive.on('error', reject);
    archive.readEntry();
  });
  archive.close();
  return files;
}

/** Writes these files as a new ZIP, in this order. */
export async function zipFiles(path: string, files: Map<string, Buffer>): Promise<void> {
  const zip = new ZipFile();
  for (const [name, bytes] of files) zip.addBuffer(bytes, name, { compress: false });
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(path));
}

/**
 * The ways an export ZIP gets damaged or edited, each writing a new file from a good one. The
 * verifier must refuse every one with its own reason.
 */
export const tamperZip = {
  /** One byte in the middle of a PDF flipped in the ZIP itself (PDFs are stored uncompressed). */
  flipPdfByte(good: string, out: string, pdf: Buffer): void {
    const zip = readFileSync(good);
    const at = zip.indexOf(pdf.subarray(0, 256));
    if (at < 0) throw new Error('the PDF is not stored verbatim in the ZIP');
    zip[at + Math.floor(pdf.length / 2)] ^= 0x01;
    writeFileSync(out, zip);
  },

  async remove(good: string, out: string, name: string): Promise<void> {
    const files = await unzipFile(good);
    files.delete(name);
    await zipFiles(out, files);
  },

  async add(good: string, out: string, name: string, bytes: Buffer): Promise<void> {
    const files = await unzipFile(good);
    files.set(name, bytes);
    await zipFiles(out, files);
  },

  /** One file's bytes replaced, in its place; the manifest left as it was. */
  async replace(good: string, out: string, name: string, bytes: Buffer): Promise<void> {
    const files = await unzipFile(good);
    if (!files.has(name)) throw new Error(`${name} is not in the ZIP`);
    files.set(name, bytes);
    await zipFiles(out, files);
  },

  /** manifest.json rewritten by `edit`; its signature left as it was. */
  async editManifest(good: string, out: string, edit: (text: string) => string): Promise<void> {
    const files = await unzipFile(good);
    files.set('manifest.json', Buffer.from(edit(files.get('manifest.json')!.toString('utf8'))));
    await zipFiles(out, files);
  },
};
