import { writeFileSync } from 'node:fs';
import { crc32, deflateRawSync } from 'node:zlib';
import { zerosDeflateRaw } from './pdf-bomb.factory';

const MIB = 1024 * 1024;
const STORED = 0;
const DEFLATED = 8;

/** One entry exactly as it goes into the ZIP: its data as stored, and what its headers claim. */
export interface RawZipEntry {
  readonly name: string;
  readonly method: typeof STORED | typeof DEFLATED;
  /** The bytes in the file: the data itself when stored, DEFLATE data when deflated. */
  readonly data: Buffer;
  /** What the headers say the data inflates to; a bomb that lies says less. */
  readonly uncompressedSize: number;
  readonly crc32: number;
}

export const storedEntry = (name: string, bytes: Buffer): RawZipEntry => ({
  name,
  method: STORED,
  data: bytes,
  uncompressedSize: bytes.length,
  crc32: crc32(bytes),
});

export const deflatedEntry = (name: string, bytes: Buffer): RawZipEntry => ({
  name,
  method: DEFLATED,
  data: deflateRawSync(bytes),
  uncompressedSize: bytes.length,
  crc32: crc32(bytes),
});

/** CRC-32 of `n` zero bytes (whole MiB), computed a MiB at a time. */
function zerosCrc32(n: number): number {
  const mib = Buffer.alloc(MIB);
  let crc = 0;
  for (let done = 0; done < n; done += MIB) crc = crc32(mib, crc);
  return crc;
}

/**
 * A decompression bomb: `inflatedMiB` MiB of zeros in about 1 KB per MiB. Its headers tell the
 * truth unless `declaredBytes` says otherwise (a bomb that claims to be small).
 */
export function zerosBombEntry(
  name: string,
  inflatedMiB: number,
  declaredBytes = inflatedMiB * MIB,
): RawZipEntry {
  return {
    name,
    method: DEFLATED,
    data: zerosDeflateRaw(inflatedMiB * MIB),
    uncompressedSize: declaredBytes,
    crc32: zerosCrc32(inflatedMiB * MIB),
  };
}

/**
 * Writes a ZIP (APPNOTE.TXT 6.3: local headers, central directory, end record) of exactly these
 * entries, headers as given: what a hostile archive can claim, which yazl would not write. Each
 * size stays under 4 GiB (0xffffffff announces ZIP64 sizes); past 65,534 entries the count goes
 * in a ZIP64 end record (§4.3.14, §4.3.15).
 */
export function writeRawZip(path: string, entries: readonly RawZipEntry[]): void {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // bit 11: the name is UTF-8
    local.writeUInt16LE(entry.method, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x21, 12); // 1980-01-01
    local.writeUInt32LE(entry.crc32 >>> 0, 14);
    local.writeUInt32LE(entry.data.length, 18);
    local.writeUInt32LE(entry.uncompressedSize, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(45, 4);
    header.writeUInt16LE(20, 6);
    local.copy(header, 8, 6, 28); // flags, method, time, date, CRC, sizes, name length
    header.writeUInt32LE(offset, 42);
    central.push(header, name);
    parts.push(local, name, entry.data);
    offset += local.length + name.length + entry.data.length;
  }
  const directory = Buffer.concat(central);
  const zip64 = entries.length >= 0xffff;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(zip64 ? 0xffff : entries.length, 8);
  end.writeUInt16LE(zip64 ? 0xffff : entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  const tail: Buffer[] = [];
  if (zip64) {
    const record = Buffer.alloc(56);
    record.writeUInt32LE(0x06064b50, 0);
    record.writeBigUInt64LE(44n, 4);
    record.writeUInt16LE(45, 12);
    record.writeUInt16LE(45, 14);
    record.writeBigUInt64LE(BigInt(entries.length), 24);
    record.writeBigUInt64LE(BigInt(entries.length), 32);
    record.writeBigUInt64LE(BigInt(directory.length), 40);
    record.writeBigUInt64LE(BigInt(offset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(offset + directory.length), 8);
    locator.writeUInt32LE(1, 16);
    tail.push(record, locator);
  }
  writeFileSync(path, Buffer.concat([...parts, directory, ...tail, end]));
}

/** A ZIP of `count` empty files. */
export function manyEntriesZip(path: string, count: number): void {
  const empty = storedEntry('', Buffer.alloc(0));
  writeRawZip(
    path,
    Array.from({ length: count }, (_, i) => ({ ...empty, name: `f/${i}` })),
  );
}
