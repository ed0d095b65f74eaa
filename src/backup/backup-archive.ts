/*
 * The plaintext inside a backup: named entries, one after another, then an end mark.
 *
 *   archive := entry* 0x5A ("Z")
 *   entry   := 0x45 ("E")  u16 name length  name (UTF-8)  segment*  u32 0
 *   segment := u32 length (1 .. 2^32-1)  that many bytes
 *
 * All integers are big-endian. An entry's bytes come in length-prefixed segments, so a dump is
 * framed as pg_dump writes it, without knowing its size first and without a plaintext copy on
 * disk. The first entry is manifest.json. The end mark says the writer finished; the cipher
 * around the archive already refuses a file cut short, so the mark guards against a bug here.
 */
import { ByteReader } from './byte-reader';
import { BackupUnreadable } from './backup.errors';

const ENTRY = 0x45;
const END = 0x5a;
const MAX_SEGMENT = 0xffffffff;
/** Entry names are short and plain: a-z, 0-9, dot, dash, underscore and slash. */
const NAME = /^[a-z0-9][a-z0-9._/-]{0,199}$/;

export interface ArchiveEntry {
  readonly name: string;
  readonly content: () => AsyncIterable<Uint8Array>;
}

function checkName(name: string): void {
  if (!NAME.test(name) || name.split('/').some((part) => part === '' || part.startsWith('.'))) {
    throw new Error(`Not a valid backup entry name: ${JSON.stringify(name)}`);
  }
}

/** Frames the entries, in order; each one's content is read only when its turn comes. */
export async function* writeArchive(entries: Iterable<ArchiveEntry>): AsyncGenerator<Buffer> {
  for (const entry of entries) {
    checkName(entry.name);
    const name = Buffer.from(entry.name, 'utf8');
    const head = Buffer.alloc(3);
    head[0] = ENTRY;
    head.writeUInt16BE(name.length, 1);
    yield Buffer.concat([head, name]);
    for await (const piece of entry.content()) {
      for (let offset = 0; offset < piece.length; offset += MAX_SEGMENT) {
        const part = piece.subarray(offset, offset + MAX_SEGMENT);
        const length = Buffer.alloc(4);
        length.writeUInt32BE(part.length);
        yield length;
        yield Buffer.from(part.buffer, part.byteOffset, part.length);
      }
    }
    yield Buffer.alloc(4);
  }
  yield Buffer.from([END]);
}

const malformed = (what: string) =>
  new BackupUnreadable(
    'damaged',
    `The backup decrypted, but its contents are malformed (${what}): it was not written by Attest's backup.`,
  );

export interface ReadEntry {
  readonly name: string;
  /** The entry's bytes; read it to the end before asking for the next entry. */
  readonly content: AsyncGenerator<Buffer>;
}

/** Reads the entries back in order; the generator returns at the end mark. */
export async function* readArchive(
  plaintext: AsyncIterable<Uint8Array>,
): AsyncGenerator<ReadEntry> {
  const reader = new ByteReader(plaintext);
  for (;;) {
    const [tag] = (await reader.readExactly(1)) ?? [];
    if (tag === END) {
      if (!(await reader.atEnd())) throw malformed('bytes after the end mark');
      return;
    }
    if (tag !== ENTRY) throw malformed(tag === undefined ? 'no end mark' : 'an unknown record');
    const nameLength = (await reader.readExactly(2))?.readUInt16BE();
    const name = nameLength === undefined ? undefined : await reader.readExactly(nameLength);
    if (!name) throw malformed('a cut entry name');
    let drained = false;
    const content = (async function* () {
      for (;;) {
        const length = (await reader.readExactly(4))?.readUInt32BE();
        if (length === undefined) throw malformed('a cut entry');
        if (length === 0) break;
        let left = length;
        while (left > 0) {
          const part = await reader.readUpTo(Math.min(left, 1024 * 1024));
          if (part.length === 0) throw malformed('a cut segment');
          left -= part.length;
          yield part;
        }
      }
      drained = true;
    })();
    yield { name: name.toString('utf8'), content };
    if (!drained)
      throw new Error(`The backup entry ${name.toString('utf8')} was not read to its end`);
  }
}

/** Collects a small entry (the manifest, a key file) into memory, refusing anything larger. */
export async function readSmallEntry(entry: ReadEntry, maxBytes: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let total = 0;
  for await (const part of entry.content) {
    total += part.length;
    if (total > maxBytes) throw malformed(`${entry.name} is larger than ${maxBytes} bytes`);
    parts.push(part);
  }
  return Buffer.concat(parts);
}
