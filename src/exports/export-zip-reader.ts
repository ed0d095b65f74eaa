import { createHash } from 'node:crypto';
import type { Entry, ZipFile } from 'yauzl';
import type { ZipMeter } from './export-zip-budget';

/*
 * Reading an export ZIP with yauzl within its budget (ZipMeter): the central directory entry by
 * entry, and each entry's data chunk by chunk, counted as it is inflated.
 */

/** Entries read between two looks at the deadline while the central directory is read. */
const CHECK_EVERY = 256;

/** The ZIP's structure cannot be read. */
export class Unreadable extends Error {}

/** One file's data cannot be read back (a damaged compressed stream, a wrong length). */
export class EntryDamaged extends Error {
  constructor(readonly path: string) {
    super(`${path} is damaged: its data cannot be read back, so it was changed.`);
  }
}

/** The central directory, within the entry count and the deadline. */
export function allEntries(zip: ZipFile, meter: ZipMeter): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: Entry[] = [];
    zip.on('entry', (entry: Entry) => {
      entries.push(entry);
      try {
        meter.checkEntryCount(entries.length);
        if (entries.length % CHECK_EVERY === 0) meter.deadline.check();
      } catch (error) {
        reject(error as Error);
        return;
      }
      zip.readEntry();
    });
    zip.once('end', () => resolve(entries));
    zip.once('error', (error: Error) =>
      reject(new Unreadable(`The ZIP is damaged: ${error.message}`)),
    );
    zip.readEntry();
  });
}

/** An entry's data as it is inflated, each chunk counted against the budget. */
async function* dataOf(zip: ZipFile, entry: Entry, meter: ZipMeter): AsyncGenerator<Buffer> {
  let chunks: AsyncIterator<unknown>;
  try {
    chunks = (await zip.openReadStreamPromise(entry))[Symbol.asyncIterator]();
  } catch {
    throw new EntryDamaged(entry.fileName);
  }
  try {
    for (;;) {
      let next: IteratorResult<unknown>;
      try {
        next = await chunks.next();
      } catch {
        throw new EntryDamaged(entry.fileName);
      }
      if (next.done) return;
      const chunk = next.value as Buffer;
      meter.spend(chunk.length);
      yield chunk;
    }
  } finally {
    // Past a limit, or when the reader stops early, the stream is destroyed: nothing more is
    // inflated.
    await chunks.return?.();
  }
}

export async function readAll(
  zip: ZipFile,
  entry: Entry,
  meter: ZipMeter,
  maxBytes: number,
): Promise<Buffer> {
  meter.checkFileSize(entry.fileName, entry.uncompressedSize, maxBytes);
  const chunks: Buffer[] = [];
  for await (const chunk of dataOf(zip, entry, meter)) chunks.push(chunk);
  return Buffer.concat(chunks);
}

export async function digestOf(zip: ZipFile, entry: Entry, meter: ZipMeter): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of dataOf(zip, entry, meter)) hash.update(chunk);
  return hash.digest('hex');
}
