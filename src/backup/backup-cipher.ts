/*
 * The encrypted backup format, version 1.
 *
 * AES-256-GCM (NIST SP 800-38D) in the STREAM construction of Hoang, Reyhanitabar, Rogaway and
 * Vizár, "Online Authenticated-Encryption and its Nonce-Reuse Misuse-Resistance" (CRYPTO 2015),
 * as age (age-encryption.org/v1) uses it: the plaintext is cut into 64 KiB chunks, each sealed
 * on its own, so a file of any size is written and checked in constant memory, and a chunk that
 * was changed, reordered, dropped or cut off is refused. Node's own crypto; no dependency.
 *
 * Header (85 bytes):
 *   offset size
 *        0    8  magic "ATTESTBK"
 *        8    1  format version: 1
 *        9    1  key kind: 1 = a raw 32-byte key (BACKUP_KEY), 2 = a passphrase (scrypt)
 *       10    1  scrypt log2(N)  } RFC 7914 cost parameters of a passphrase;
 *       11    1  scrypt r        } all three 0 for a raw key
 *       12    1  scrypt p        }
 *       13    1  log2 of the chunk size: 16 (64 KiB)
 *       14   32  salt: random per file
 *       46    7  nonce prefix: random per file
 *       53   32  HMAC-SHA256 of bytes 0..52 under the header key
 *
 * Keys: the input key is BACKUP_KEY, or scrypt(passphrase as NFC UTF-8, salt, N, r, p, 32
 * bytes). HKDF-SHA256 (RFC 5869) over it with the salt gives two keys: info
 * "attest-backup v1 payload" the AES-256 key, info "attest-backup v1 header" the header key.
 * Each file so has keys of its own, and the header MAC tells a wrong key or passphrase apart
 * from a damaged chunk before any chunk is opened (age's header MAC does the same).
 *
 * Chunks follow the header: each is AES-256-GCM of up to 65,536 plaintext bytes with its
 * 16-byte tag appended; every chunk but the last holds exactly 65,536. The 96-bit nonce is the
 * nonce prefix, the chunk's index as a 32-bit big-endian counter from 0, and a flag byte: 1 for
 * the last chunk, 0 otherwise. The whole header is the additional authenticated data of every
 * chunk. An empty plaintext is one last chunk of 0 bytes (16 bytes of tag). A file that ends
 * without a chunk flagged last is truncated; bytes after the last chunk are refused.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  scrypt,
  timingSafeEqual,
} from 'node:crypto';
import type { BackupCredentials, BackupSecret } from './backup-secret';
import { BackupUnreadable } from './backup.errors';
import { ByteReader } from './byte-reader';

export const MAGIC = Buffer.from('ATTESTBK', 'latin1');
export const FORMAT_VERSION = 1;
export const HEADER_LENGTH = 85;
export const CHUNK_SIZE = 64 * 1024;
export const TAG_LENGTH = 16;
const MAC_OFFSET = 53;
const KEY_KIND = { key: 1, passphrase: 2 } as const;
const CHUNK_SIZE_LOG2 = 16;
/** N = 2^17, r = 8, p = 1: 128 MiB and about half a second per backup. */
export const DEFAULT_SCRYPT = { log2N: 17, r: 8, p: 1 };
/** What a header may ask of this machine: at most 1 GiB of scrypt memory. */
const MAX_SCRYPT_MEMORY = 1024 * 1024 * 1024;

interface ScryptParams {
  readonly log2N: number;
  readonly r: number;
  readonly p: number;
}

interface FileKeys {
  readonly payloadKey: Buffer;
  readonly headerKey: Buffer;
}

function scryptKey(passphrase: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const N = 2 ** params.log2N;
  const maxmem = 2 * 128 * N * params.r * params.p;
  return new Promise((resolve, reject) =>
    scrypt(
      passphrase.normalize('NFC'),
      salt,
      32,
      { N, r: params.r, p: params.p, maxmem },
      (e, k) => (e ? reject(e) : resolve(k)),
    ),
  );
}

async function fileKeys(
  secret: BackupSecret,
  salt: Buffer,
  params: ScryptParams,
): Promise<FileKeys> {
  const input =
    secret.kind === 'key' ? secret.key : await scryptKey(secret.passphrase, salt, params);
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', input, salt, info, 32));
  return {
    payloadKey: derive('attest-backup v1 payload'),
    headerKey: derive('attest-backup v1 header'),
  };
}

function nonceFor(prefix: Buffer, index: number, last: boolean): Buffer {
  if (index > 0xffffffff) throw new Error('A backup cannot hold more than 2^32 chunks');
  const nonce = Buffer.alloc(12);
  prefix.copy(nonce, 0);
  nonce.writeUInt32BE(index, 7);
  nonce[11] = last ? 1 : 0;
  return nonce;
}

export interface EncryptOptions {
  /** Lower scrypt cost for tests only; backups use {@link DEFAULT_SCRYPT}. */
  readonly scrypt?: ScryptParams;
}

/** Encrypts a stream of plaintext: yields the header, then each sealed chunk. */
export async function* encryptBackup(
  plaintext: AsyncIterable<Uint8Array>,
  secret: BackupSecret,
  options: EncryptOptions = {},
): AsyncGenerator<Buffer> {
  const params = secret.kind === 'passphrase' ? (options.scrypt ?? DEFAULT_SCRYPT) : undefined;
  const salt = randomBytes(32);
  const prefix = randomBytes(7);
  const keys = await fileKeys(secret, salt, params ?? { log2N: 0, r: 0, p: 0 });
  const header = Buffer.concat([
    MAGIC,
    Buffer.from([
      FORMAT_VERSION,
      KEY_KIND[secret.kind],
      params?.log2N ?? 0,
      params?.r ?? 0,
      params?.p ?? 0,
      CHUNK_SIZE_LOG2,
    ]),
    salt,
    prefix,
  ]);
  const sealedHeader = Buffer.concat([
    header,
    createHmac('sha256', keys.headerKey).update(header).digest(),
  ]);
  yield sealedHeader;

  const seal = (chunk: Buffer, index: number, last: boolean) => {
    const cipher = createCipheriv('aes-256-gcm', keys.payloadKey, nonceFor(prefix, index, last), {
      authTagLength: TAG_LENGTH,
    });
    cipher.setAAD(sealedHeader);
    return Buffer.concat([cipher.update(chunk), cipher.final(), cipher.getAuthTag()]);
  };
  // A full chunk is held back until more input shows it is not the last one.
  let pending: Buffer[] = [];
  let pendingLength = 0;
  let index = 0;
  for await (const piece of plaintext) {
    pending.push(Buffer.from(piece.buffer, piece.byteOffset, piece.length));
    pendingLength += piece.length;
    if (pendingLength <= CHUNK_SIZE) continue;
    const all = Buffer.concat(pending);
    let offset = 0;
    while (all.length - offset > CHUNK_SIZE) {
      yield seal(all.subarray(offset, offset + CHUNK_SIZE), index++, false);
      offset += CHUNK_SIZE;
    }
    pending = [all.subarray(offset)];
    pendingLength = all.length - offset;
  }
  yield seal(Buffer.concat(pending), index, true);
}

function parseHeader(header: Buffer) {
  const start = header.subarray(0, MAGIC.length);
  if (header.length === 0 || !MAGIC.subarray(0, start.length).equals(start)) {
    throw new BackupUnreadable(
      'not-a-backup',
      'This is not an Attest backup: it does not start with the ATTESTBK header.',
    );
  }
  if (header.length < HEADER_LENGTH) {
    throw new BackupUnreadable(
      'truncated',
      `The backup is truncated: it ends within its ${HEADER_LENGTH}-byte header, at byte ${header.length}.`,
    );
  }
  const [version, kind, log2N, r, p, chunkLog2] = header.subarray(8, 14);
  if (version !== FORMAT_VERSION || chunkLog2 !== CHUNK_SIZE_LOG2) {
    throw new BackupUnreadable(
      'unsupported',
      `This backup has format version ${version}, which this Attest does not read: restore it with the Attest version that made it, or a later one.`,
    );
  }
  const scryptOk =
    log2N >= 10 && log2N <= 22 && r >= 1 && p >= 1 && 128 * 2 ** log2N * r * p <= MAX_SCRYPT_MEMORY;
  if (!(
    (kind === KEY_KIND.key && log2N + r + p === 0) ||
    (kind === KEY_KIND.passphrase && scryptOk)
  )) {
    throw new BackupUnreadable(
      'damaged',
      'The backup’s header is damaged: it names no valid key kind.',
    );
  }
  return {
    kind: kind === KEY_KIND.key ? ('key' as const) : ('passphrase' as const),
    params: { log2N, r, p },
  };
}

function secretFor(kind: 'key' | 'passphrase', credentials: BackupCredentials): BackupSecret {
  const secret = credentials[kind];
  if (secret) return secret;
  throw new BackupUnreadable(
    'secret-missing',
    kind === 'key'
      ? 'This backup was encrypted with a key: set BACKUP_KEY to the key it was made with.'
      : 'This backup was encrypted with a passphrase: set BACKUP_PASSPHRASE, or pass --passphrase-file PATH.',
  );
}

/**
 * Decrypts a backup as it streams, yielding each chunk's plaintext once it has authenticated.
 * A consumer must treat what it received as unconfirmed until the generator returns: a later
 * chunk can still be refused (the restore writes everything to a private temporary file first).
 */
export async function* decryptBackup(
  ciphertext: AsyncIterable<Uint8Array>,
  credentials: BackupCredentials,
): AsyncGenerator<Buffer> {
  const reader = new ByteReader(ciphertext);
  const header = await reader.readUpTo(HEADER_LENGTH);
  const { kind, params } = parseHeader(header);
  const secret = secretFor(kind, credentials);
  const keys = await fileKeys(secret, header.subarray(14, 46), params);
  const mac = createHmac('sha256', keys.headerKey).update(header.subarray(0, MAC_OFFSET)).digest();
  if (!timingSafeEqual(mac, header.subarray(MAC_OFFSET))) {
    throw new BackupUnreadable(
      'wrong-key',
      `${secret.source} does not open this backup: it was made with another ${kind}, or its header was changed.`,
    );
  }
  const prefix = header.subarray(46, 53);
  const open = (sealed: Buffer, index: number, last: boolean): Buffer | undefined => {
    if (sealed.length < TAG_LENGTH) return undefined;
    const decipher = createDecipheriv(
      'aes-256-gcm',
      keys.payloadKey,
      nonceFor(prefix, index, last),
      {
        authTagLength: TAG_LENGTH,
      },
    );
    decipher.setAAD(header);
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_LENGTH));
    const plain = decipher.update(sealed.subarray(0, sealed.length - TAG_LENGTH));
    try {
      return Buffer.concat([plain, decipher.final()]);
    } catch {
      return undefined;
    }
  };
  for (let index = 0; ; index++) {
    const start = reader.position;
    const sealed = await reader.readUpTo(CHUNK_SIZE + TAG_LENGTH);
    if (sealed.length === 0) {
      const after = index === 0 ? 'its header' : `chunk ${index - 1} (byte ${start})`;
      throw new BackupUnreadable(
        'truncated',
        `The backup is truncated: it ends after ${after} without its final chunk.`,
      );
    }
    const last = await reader.atEnd();
    const plain = open(sealed, index, last);
    if (plain) {
      yield plain;
      if (last) return;
      continue;
    }
    if (last && sealed.length === CHUNK_SIZE + TAG_LENGTH && open(sealed, index, false)) {
      throw new BackupUnreadable(
        'truncated',
        `The backup is truncated: it ends after chunk ${index} (byte ${reader.position}) without its final chunk.`,
      );
    }
    if (!last && open(sealed, index, true)) {
      throw new BackupUnreadable(
        'damaged',
        `The backup was changed: bytes follow its final chunk (${index}, ending at byte ${reader.position}).`,
      );
    }
    throw new BackupUnreadable(
      last ? 'truncated' : 'damaged',
      last
        ? `The backup is truncated or damaged: its last chunk (${index}, bytes ${start} to ${reader.position}) fails authentication; the file ends mid-chunk or was changed there.`
        : `The backup is changed or damaged: chunk ${index} (bytes ${start} to ${reader.position}) fails authentication.`,
    );
  }
}
