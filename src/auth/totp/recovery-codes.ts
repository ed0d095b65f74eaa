import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

export const RECOVERY_CODE_COUNT = 10;
/**
 * Crockford's Base32: no I, L, O or U, so nothing is ambiguous when read back; O, I and L typed
 * by mistake are read as 0 and 1. 32 symbols: 5 bits each, 16 symbols give 80 bits per code
 * (NIST SP 800-63B §5.1.2.1: look-up secrets of at least 64 bits from an approved generator).
 */
const RECOVERY_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const RECOVERY_SYMBOLS = 16;
const RECOVERY_CODE = /^[0-9a-hjkmnp-tv-z]{16}$/;

/**
 * scrypt (RFC 7914) with a random salt per code: a copy of the table gives nothing to look up,
 * and each guess costs memory. N = 2^13 keeps a sign-in's check of ten codes near 100 ms of
 * thread-pool time; the 80-bit codes, not the cost factor, are what stop guessing.
 */
const SCRYPT = { N: 2 ** 13, r: 8, p: 1, maxmem: 32 * 1024 * 1024 } as const;
const SALT_BYTES = 12;
const HASH_BYTES = 16;
const FORMAT = 's1';

function derive(normalised: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(normalised, salt, HASH_BYTES, SCRYPT, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** `xxxx-xxxx-xxxx-xxxx` from a uniform random draw (32 divides 256, so masking has no bias). */
export function generateRecoveryCode(): string {
  const code = [...randomBytes(RECOVERY_SYMBOLS)].map((b) => RECOVERY_ALPHABET[b & 31]).join('');
  return code.match(/.{4}/g)!.join('-');
}

/** Lower case, no spaces or dashes, O→0 and I/L→1; undefined if it cannot be a recovery code. */
export function normaliseRecoveryCode(code: string): string | undefined {
  if (typeof code !== 'string') return undefined;
  const normalised = code
    .toLowerCase()
    .replace(/[\s-]+/g, '')
    .replace(/o/g, '0')
    .replace(/[il]/g, '1');
  return RECOVERY_CODE.test(normalised) ? normalised : undefined;
}

/** `s1$<salt>$<scrypt>`, base64url: 48 characters. */
export async function hashRecoveryCode(normalised: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(normalised, salt);
  return `${FORMAT}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/**
 * Whether the normalised code matches the stored hash. Hashes in any other form (the unsalted
 * SHA-256 of earlier, 50-bit codes) never match: those codes must be generated again.
 */
export async function recoveryCodeMatches(normalised: string, stored: string): Promise<boolean> {
  const [format, salt, hash] = stored.split('$');
  if (format !== FORMAT || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  if (expected.length !== HASH_BYTES) return false;
  const actual = await derive(normalised, Buffer.from(salt, 'base64url'));
  return timingSafeEqual(actual, expected);
}
