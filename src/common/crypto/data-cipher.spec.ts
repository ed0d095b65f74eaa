import { randomBytes } from 'node:crypto';
import type { AppConfig } from '../../config/app-config';
import { CiphertextTampered, DataCipher, keyIdFor, UnknownEncryptionKey } from './data-cipher';

const newKey = () => randomBytes(32);
const CONTEXT = 'totp:person-1';
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

/** Replaces one dot-separated part of a token. */
function withPart(token: string, index: number, change: (part: string) => string): string {
  const parts = token.split('.');
  parts[index] = change(parts[index]);
  return parts.join('.');
}

/** Flips one bit of a base64url part, keeping it well-formed. */
function flipBit(part: string): string {
  const bytes = Buffer.from(part, 'base64url');
  bytes[0] ^= 0x01;
  return bytes.toString('base64url');
}

describe(DataCipher.name, () => {
  const key = newKey();
  const sut = new DataCipher({ current: key });

  it('round-trips a value under its context', () => {
    const token = sut.encrypt(SECRET, CONTEXT);
    expect(sut.decrypt(token, CONTEXT)).toBe(SECRET);
  });

  it('round-trips the empty string and non-ASCII text', () => {
    expect(sut.decrypt(sut.encrypt('', CONTEXT), CONTEXT)).toBe('');
    expect(sut.decrypt(sut.encrypt('Grüße ✓', CONTEXT), CONTEXT)).toBe('Grüße ✓');
  });

  it('writes a self-describing token with a fresh IV each time', () => {
    const first = sut.encrypt(SECRET, CONTEXT);
    const second = sut.encrypt(SECRET, CONTEXT);
    expect(first).toMatch(/^v1\.[0-9a-f]{16}\.[\w-]{16}\.[\w-]{22}\.[\w-]+$/);
    expect(sut.keyIdOf(first)).toBe(keyIdFor(key));
    expect(first.split('.')[2]).not.toBe(second.split('.')[2]);
    expect(first).not.toBe(second);
  });

  it('never contains the plaintext, in any encoding', () => {
    const token = sut.encrypt(SECRET, CONTEXT);
    for (const form of [SECRET, Buffer.from(SECRET).toString('base64url'), 'JBSWY3DP']) {
      expect(token).not.toContain(form);
    }
  });

  it.each([
    ['iv', 2],
    ['tag', 3],
    ['ciphertext', 4],
  ])('refuses a token whose %s was altered', (_part, index) => {
    const token = withPart(sut.encrypt(SECRET, CONTEXT), index, flipBit);
    expect(() => sut.decrypt(token, CONTEXT)).toThrow(CiphertextTampered);
  });

  it('refuses a token whose key id was altered as an unknown key', () => {
    const token = withPart(sut.encrypt(SECRET, CONTEXT), 1, () => '0123456789abcdef');
    expect(() => sut.decrypt(token, CONTEXT)).toThrow(UnknownEncryptionKey);
  });

  it.each([
    ['not a token', () => 'hello'],
    ['another version', (t: string) => withPart(t, 0, () => 'v2')],
    ['a malformed key id', (t: string) => withPart(t, 1, () => 'ZZ')],
    ['a short IV', (t: string) => withPart(t, 2, (p) => p.slice(0, 8))],
    ['a truncated tag', (t: string) => withPart(t, 3, (p) => p.slice(0, 12))],
    ['a truncated ciphertext', (t: string) => withPart(t, 4, (p) => p.slice(0, -2))],
    ['a non-base64url character', (t: string) => withPart(t, 4, (p) => `${p}!`)],
    ['an extra part', (t: string) => `${t}.AAAA`],
  ])('refuses %s as tampered', (_case, mangle) => {
    const token = mangle(sut.encrypt(SECRET, CONTEXT));
    expect(() => sut.decrypt(token, CONTEXT)).toThrow(CiphertextTampered);
  });

  it('refuses a value copied to another context (row)', () => {
    const token = sut.encrypt(SECRET, CONTEXT);
    expect(() => sut.decrypt(token, 'totp:person-2')).toThrow(CiphertextTampered);
  });

  it('refuses a token written under another key with the same id shape', () => {
    const other = new DataCipher({ current: newKey(), previous: [key] });
    const forged = withPart(other.encrypt(SECRET, CONTEXT), 1, () => keyIdFor(key));
    expect(() => other.decrypt(forged, CONTEXT)).toThrow(CiphertextTampered);
  });

  describe('after a key rotation', () => {
    const rotated = new DataCipher({ current: newKey(), previous: [key] });

    it('still decrypts values written under the previous key, and flags them', () => {
      const old = sut.encrypt(SECRET, CONTEXT);
      expect(rotated.decrypt(old, CONTEXT)).toBe(SECRET);
      expect(rotated.needsReencryption(old)).toBe(true);
    });

    it('writes new values under the current key', () => {
      const fresh = rotated.encrypt(SECRET, CONTEXT);
      expect(rotated.needsReencryption(fresh)).toBe(false);
      expect(rotated.keyIdOf(fresh)).not.toBe(keyIdFor(key));
    });

    it('refuses values under a key that was dropped from the keyring', () => {
      const token = sut.encrypt(SECRET, CONTEXT);
      const dropped = new DataCipher({ current: newKey() });
      expect(() => dropped.decrypt(token, CONTEXT)).toThrow(UnknownEncryptionKey);
    });
  });

  it('refuses keys that are not 32 bytes', () => {
    expect(() => new DataCipher({ current: randomBytes(16) })).toThrow(RangeError);
    expect(() => new DataCipher({ current: key, previous: [randomBytes(31)] })).toThrow(RangeError);
  });

  it('is built from the configured data encryption key', () => {
    const config = { secrets: { dataEncryptionKey: key } } as unknown as AppConfig;
    const fromConfig = DataCipher.fromConfig(config);
    expect(fromConfig.decrypt(sut.encrypt(SECRET, CONTEXT), CONTEXT)).toBe(SECRET);
  });
});
