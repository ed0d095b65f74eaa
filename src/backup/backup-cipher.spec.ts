import { createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import {
  CHUNK_SIZE,
  decryptBackup,
  DEFAULT_SCRYPT,
  encryptBackup,
  HEADER_LENGTH,
  TAG_LENGTH,
} from './backup-cipher';
import type { BackupCredentials, BackupSecret } from './backup-secret';
import { BackupUnreadable } from './backup.errors';

const SEALED_CHUNK = CHUNK_SIZE + TAG_LENGTH;
const KEY: Extract<BackupSecret, { kind: 'key' }> = {
  kind: 'key',
  key: Buffer.alloc(32, 3),
  source: 'BACKUP_KEY',
};
const PASSPHRASE: BackupSecret = {
  kind: 'passphrase',
  passphrase: 'correct horse battery staple',
  source: 'BACKUP_PASSPHRASE',
};
/** Fast scrypt for tests; one test runs the real cost. */
const CHEAP = { scrypt: { log2N: 10, r: 8, p: 1 } };

async function* pieces(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of source) parts.push(Buffer.from(part));
  return Buffer.concat(parts);
}

const encrypt = (plain: Buffer, secret: BackupSecret = KEY, pieceSize = 10_000) =>
  collect(encryptBackup(pieces(plain, pieceSize), secret, CHEAP));

const credentialsOf = (secret: BackupSecret): BackupCredentials =>
  secret.kind === 'key' ? { key: secret } : { passphrase: secret };

const decrypt = (sealed: Buffer, credentials: BackupCredentials = { key: KEY }) =>
  collect(decryptBackup(pieces(sealed, 7_777), credentials));

/** The refusal a decryption ends in. */
async function refusal(sealed: Buffer, credentials?: BackupCredentials) {
  try {
    await decrypt(sealed, credentials);
  } catch (error) {
    if (error instanceof BackupUnreadable) return { reason: error.reason, message: error.message };
    throw error;
  }
  throw new Error('expected the backup to be refused');
}

const flipped = (bytes: Buffer, at: number) => {
  const copy = Buffer.from(bytes);
  copy[at] ^= 0x01;
  return copy;
};

describe('backup cipher (AES-256-GCM STREAM)', () => {
  describe('round trip', () => {
    it.each([
      ['empty input', 0],
      ['one byte', 1],
      ['one byte short of a chunk', CHUNK_SIZE - 1],
      ['exactly one chunk', CHUNK_SIZE],
      ['one byte over a chunk', CHUNK_SIZE + 1],
      ['three chunks and a bit', 3 * CHUNK_SIZE + 5],
    ])('%s (%i bytes) with a key', async (_, length) => {
      const plain = randomBytes(length);
      const sealed = await encrypt(plain);
      const chunks = Math.max(1, Math.ceil(length / CHUNK_SIZE));
      expect(sealed).toHaveLength(HEADER_LENGTH + length + chunks * TAG_LENGTH);
      expect((await decrypt(sealed)).equals(plain)).toBe(true);
    });

    it('makes an empty input one final chunk of tag alone, and whole chunks no empty final chunk', async () => {
      expect(await encrypt(Buffer.alloc(0))).toHaveLength(HEADER_LENGTH + TAG_LENGTH);
      expect(await encrypt(Buffer.alloc(CHUNK_SIZE))).toHaveLength(HEADER_LENGTH + SEALED_CHUNK);
      // Two chunks' worth in one piece: two chunks, the second the last; no empty third.
      const two = await encrypt(Buffer.alloc(2 * CHUNK_SIZE), KEY, 2 * CHUNK_SIZE);
      expect(two).toHaveLength(HEADER_LENGTH + 2 * SEALED_CHUNK);
    });

    it('reads the same whatever sizes the input and the file arrive in', async () => {
      const plain = randomBytes(2 * CHUNK_SIZE + 321);
      for (const size of [1, 4096, CHUNK_SIZE + 7, plain.length]) {
        const sealed = await encrypt(plain, KEY, size);
        const out = await collect(decryptBackup(pieces(sealed, size), { key: KEY }));
        expect(out.equals(plain)).toBe(true);
      }
    });

    it('round-trips with a passphrase, and seals each file under its own keys', async () => {
      const plain = randomBytes(CHUNK_SIZE + 10);
      const first = await encrypt(plain, PASSPHRASE);
      const second = await encrypt(plain, PASSPHRASE);
      expect(first.subarray(HEADER_LENGTH).equals(second.subarray(HEADER_LENGTH))).toBe(false);
      expect((await decrypt(first, credentialsOf(PASSPHRASE))).equals(plain)).toBe(true);
    });

    it('starts with the documented header', async () => {
      const sealed = await encrypt(Buffer.from('x'), PASSPHRASE);
      expect(sealed.subarray(0, 8).toString('latin1')).toBe('ATTESTBK');
      expect([...sealed.subarray(8, 14)]).toEqual([1, 2, 10, 8, 1, 16]);
      const keyed = await encrypt(Buffer.from('x'));
      expect([...keyed.subarray(8, 14)]).toEqual([1, 1, 0, 0, 0, 16]);
    });

    it('writes the format documented at the top of backup-cipher.ts (read here with node:crypto alone)', async () => {
      const plain = randomBytes(CHUNK_SIZE + 3);
      const sealed = await encrypt(plain);
      const header = sealed.subarray(0, HEADER_LENGTH);
      const salt = header.subarray(14, 46);
      const derive = (info: string) => Buffer.from(hkdfSync('sha256', KEY.key, salt, info, 32));
      const mac = createHmac('sha256', derive('attest-backup v1 header'))
        .update(header.subarray(0, 53))
        .digest();
      expect(mac.equals(header.subarray(53))).toBe(true);
      const open = (sealedChunk: Buffer, index: number, last: number) => {
        const nonce = Buffer.alloc(12);
        header.subarray(46, 53).copy(nonce);
        nonce.writeUInt32BE(index, 7);
        nonce[11] = last;
        const decipher = createDecipheriv('aes-256-gcm', derive('attest-backup v1 payload'), nonce);
        decipher.setAAD(header);
        decipher.setAuthTag(sealedChunk.subarray(-TAG_LENGTH));
        return Buffer.concat([
          decipher.update(sealedChunk.subarray(0, -TAG_LENGTH)),
          decipher.final(),
        ]);
      };
      const first = open(sealed.subarray(HEADER_LENGTH, HEADER_LENGTH + SEALED_CHUNK), 0, 0);
      const second = open(sealed.subarray(HEADER_LENGTH + SEALED_CHUNK), 1, 1);
      expect(Buffer.concat([first, second]).equals(plain)).toBe(true);
    });

    it('stretches a passphrase at the default cost (scrypt N=2^17, r=8, p=1) within its memory limit', async () => {
      const sealed = await collect(encryptBackup(pieces(Buffer.from('x'), 1), PASSPHRASE));
      expect([...sealed.subarray(10, 13)]).toEqual([
        DEFAULT_SCRYPT.log2N,
        DEFAULT_SCRYPT.r,
        DEFAULT_SCRYPT.p,
      ]);
      expect((await decrypt(sealed, credentialsOf(PASSPHRASE))).toString()).toBe('x');
    }, 20_000);

    it('yields a chunk as soon as it authenticates, before the rest is read', async () => {
      const sealed = await encrypt(randomBytes(3 * CHUNK_SIZE));
      async function* thenFail() {
        yield sealed.subarray(0, HEADER_LENGTH + 2 * SEALED_CHUNK);
        throw new Error('the rest never arrives');
      }
      const reader = decryptBackup(thenFail(), { key: KEY });
      expect((await reader.next()).value).toHaveLength(CHUNK_SIZE);
      await expect(reader.next()).rejects.toThrow('the rest never arrives');
    });
  });

  describe('refusals', () => {
    let plain: Buffer;
    let sealed: Buffer;
    beforeAll(async () => {
      plain = randomBytes(3 * CHUNK_SIZE + 100);
      sealed = await encrypt(plain);
    });
    const chunkStart = (index: number) => HEADER_LENGTH + index * SEALED_CHUNK;

    it.each([
      ['the first chunk', 0, 10],
      ['a middle chunk', 1, 30_000],
      ['a tag', 2, SEALED_CHUNK - 1],
    ])('refuses a flipped byte in %s, naming the chunk', async (_, index, offset) => {
      const at = chunkStart(index) + offset;
      expect(await refusal(flipped(sealed, at))).toEqual({
        reason: 'damaged',
        message: expect.stringContaining(`chunk ${index} (bytes ${chunkStart(index)} to`),
      });
    });

    it('refuses a flipped byte in the last chunk', async () => {
      expect(await refusal(flipped(sealed, sealed.length - 50))).toEqual({
        reason: 'truncated',
        message: expect.stringMatching(/truncated or damaged: its last chunk \(3,/),
      });
    });

    it.each([
      ['the salt', 20],
      ['the nonce prefix', 50],
      ['the header MAC', HEADER_LENGTH - 1],
    ])('refuses a flipped byte in the header: %s', async (_, at) => {
      expect(await refusal(flipped(sealed, at))).toEqual({
        reason: 'wrong-key',
        message: expect.stringContaining('BACKUP_KEY does not open this backup'),
      });
    });

    it('refuses a changed magic, version, key kind or chunk size', async () => {
      expect((await refusal(flipped(sealed, 0))).reason).toBe('not-a-backup');
      expect((await refusal(flipped(sealed, 8))).reason).toBe('unsupported');
      expect((await refusal(flipped(sealed, 9))).reason).toBe('damaged');
      expect((await refusal(flipped(sealed, 13))).reason).toBe('unsupported');
    });

    it('refuses chunks swapped in place', async () => {
      const swapped = Buffer.concat([
        sealed.subarray(0, chunkStart(0)),
        sealed.subarray(chunkStart(1), chunkStart(2)),
        sealed.subarray(chunkStart(0), chunkStart(1)),
        sealed.subarray(chunkStart(2)),
      ]);
      expect(await refusal(swapped)).toMatchObject({
        reason: 'damaged',
        message: expect.stringContaining('chunk 0 '),
      });
    });

    it.each([1, 2, 3])('refuses a file cut after chunk %i, at a chunk boundary', async (chunks) => {
      const cut = sealed.subarray(0, chunkStart(chunks));
      expect(await refusal(cut)).toEqual({
        reason: 'truncated',
        message: `The backup is truncated: it ends after chunk ${chunks - 1} (byte ${chunkStart(chunks)}) without its final chunk.`,
      });
    });

    it.each([
      ['mid-chunk', HEADER_LENGTH + SEALED_CHUNK + 1000],
      ['inside a tag', HEADER_LENGTH + 2 * SEALED_CHUNK - 5],
      ['in the last chunk', 'end-1'],
    ])('refuses a file cut %s', async (_, where) => {
      const cut = sealed.subarray(0, where === 'end-1' ? sealed.length - 1 : (where as number));
      expect(await refusal(cut)).toMatchObject({
        reason: 'truncated',
        message: expect.stringMatching(/^The backup is truncated or damaged: its last chunk/),
      });
    });

    it('refuses a file cut after its header, or within it', async () => {
      expect(await refusal(sealed.subarray(0, HEADER_LENGTH))).toEqual({
        reason: 'truncated',
        message: 'The backup is truncated: it ends after its header without its final chunk.',
      });
      expect(await refusal(sealed.subarray(0, 40))).toMatchObject({ reason: 'truncated' });
    });

    it('refuses bytes after the final chunk', async () => {
      const whole = await encrypt(randomBytes(2 * CHUNK_SIZE));
      expect(await refusal(Buffer.concat([whole, Buffer.from('more')]))).toMatchObject({
        reason: 'damaged',
      });
      expect(await refusal(Buffer.concat([sealed, randomBytes(SEALED_CHUNK)]))).toMatchObject({
        reason: 'damaged',
      });
    });

    it('refuses the wrong key and the wrong passphrase before opening any chunk', async () => {
      const otherKey = { kind: 'key' as const, key: Buffer.alloc(32, 4), source: 'BACKUP_KEY' };
      expect(await refusal(sealed, { key: otherKey })).toEqual({
        reason: 'wrong-key',
        message:
          'BACKUP_KEY does not open this backup: it was made with another key, or its header was changed.',
      });
      const withPassphrase = await encrypt(Buffer.from('secret'), PASSPHRASE);
      const wrong = { ...PASSPHRASE, passphrase: 'incorrect horse battery staple' };
      expect((await refusal(withPassphrase, credentialsOf(wrong))).reason).toBe('wrong-key');
    });

    it('asks for the kind of secret the file was made with', async () => {
      const withPassphrase = await encrypt(Buffer.from('secret'), PASSPHRASE);
      expect(await refusal(withPassphrase, { key: KEY })).toEqual({
        reason: 'secret-missing',
        message: expect.stringContaining('encrypted with a passphrase: set BACKUP_PASSPHRASE'),
      });
      expect(await refusal(sealed, {})).toMatchObject({ reason: 'secret-missing' });
    });

    it('refuses a file that is not a backup', async () => {
      expect((await refusal(Buffer.from('%PDF-1.7\n'))).reason).toBe('not-a-backup');
      expect((await refusal(Buffer.alloc(0))).reason).toBe('not-a-backup');
    });
  });
});
