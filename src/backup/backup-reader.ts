import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { OperatorError } from '../common/errors/operator.error';
import { readArchive, readSmallEntry } from './backup-archive';
import { decryptBackup } from './backup-cipher';
import {
  type BackupManifest,
  dumpEntryOf,
  MANIFEST_ENTRY,
  MAX_MANIFEST_BYTES,
  parseManifest,
} from './backup-manifest';
import type { BackupCredentials } from './backup-secret';
import { BackupUnreadable } from './backup.errors';
import { ByteProgress } from './byte-progress';
import { keyFileOfEntry, MAX_KEY_FILE_BYTES } from './data-dir-key-files';

/** A backup decrypted and checked whole: nothing in it is used before all of it authenticated. */
export interface OpenedBackup {
  readonly manifest: BackupManifest;
  /** The decrypted dump, in the private temporary directory. */
  readonly dumpFile: string;
  /** DATA_DIR key files, by their path relative to DATA_DIR. */
  readonly keyFiles: ReadonlyMap<string, Buffer>;
  /** SHA-256 of the encrypted file, as `attest backup` printed and audited it. */
  readonly sha256: string;
  readonly bytes: number;
}

/** The file's bytes, hashed and counted on their way to the cipher. */
async function* readHashed(path: string, hash: Hash, tally: ByteProgress): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      tally.add(chunk.length);
      yield chunk;
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
      throw new OperatorError(`Cannot read ${path}. Check the path and its permissions.`);
    }
    throw error;
  }
}

/**
 * Decrypts and authenticates the whole backup into `tempDir` (the caller's private 0700
 * directory), checking the manifest first: `expect` refuses it (another tier, a newer schema)
 * before the rest is read. Throws BackupUnreadable for a file that is not whole and unchanged.
 */
export async function openBackup(
  path: string,
  credentials: BackupCredentials,
  tempDir: string,
  expect: (manifest: BackupManifest) => void,
  progress: (line: string) => void,
): Promise<OpenedBackup> {
  const hash = createHash('sha256');
  const tally = new ByteProgress('checked', progress);
  const entries = readArchive(decryptBackup(readHashed(path, hash, tally), credentials));
  let manifest: BackupManifest | undefined;
  let dumpFile: string | undefined;
  const keyFiles = new Map<string, Buffer>();
  for await (const entry of entries) {
    if (!manifest) {
      if (entry.name !== MANIFEST_ENTRY) throw unexpected(entry.name);
      manifest = parseManifest(await readSmallEntry(entry, MAX_MANIFEST_BYTES));
      expect(manifest);
      continue;
    }
    if (entry.name === dumpEntryOf(manifest.database) && !dumpFile) {
      dumpFile = join(tempDir, entry.name);
      await pipeline(entry.content, createWriteStream(dumpFile, { flags: 'wx', mode: 0o600 }));
      continue;
    }
    const keyFile = keyFileOfEntry(entry.name);
    if (!keyFile || keyFiles.has(keyFile)) throw unexpected(entry.name);
    keyFiles.set(keyFile, await readSmallEntry(entry, MAX_KEY_FILE_BYTES));
  }
  if (!manifest || !dumpFile) {
    throw new BackupUnreadable('damaged', 'The backup holds no database dump.');
  }
  const listed = [...manifest.keyFiles].sort().join();
  if (listed !== [...keyFiles.keys()].sort().join()) {
    throw new BackupUnreadable(
      'damaged',
      'The backup’s key files are not the ones its manifest lists.',
    );
  }
  return { manifest, dumpFile, keyFiles, sha256: hash.digest('hex'), bytes: tally.bytes };
}

const unexpected = (name: string) =>
  new BackupUnreadable(
    'unsupported',
    `The backup holds an entry this Attest does not know (${JSON.stringify(name)}): restore it with the Attest version that made it.`,
  );
