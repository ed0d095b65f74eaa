import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { FactoryProvider } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';

/** The keys a {@link DataCipher} holds: it encrypts under `current` and decrypts under any. */
export interface Keyring {
  readonly current: Buffer;
  /** Retired keys, kept until every value is re-encrypted under `current`. */
  readonly previous?: readonly Buffer[];
}

/** The token is unreadable: altered, truncated, bound to another context, or not a token. */
export class CiphertextTampered extends Error {
  constructor() {
    super('The encrypted value failed its integrity check and was not decrypted.');
    this.name = 'CiphertextTampered';
  }
}

/** The token names a key the keyring does not hold, e.g. one retired too early. */
export class UnknownEncryptionKey extends Error {
  constructor(readonly keyId: string) {
    super(
      `The encrypted value needs key ${keyId}, which is not configured. Restore that key as a previous key.`,
    );
    this.name = 'UnknownEncryptionKey';
  }
}

const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
// NIST SP 800-38D §8.2: a 96-bit IV is the recommended length, used directly as the counter block.
const IV_BYTES = 12;
// NIST SP 800-38D Appendix C: use the full 128-bit tag; shorter tags weaken forgery resistance.
const TAG_BYTES = 16;
const KEY_ID = /^[0-9a-f]{16}$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** First 16 hex characters of the key's SHA-256: names the key without revealing it. */
export function keyIdFor(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/** Strict base64url: Buffer.from() silently skips bad characters, which would hide tampering. */
function decodeBase64Url(part: string): Buffer | undefined {
  if (!BASE64URL.test(part)) return undefined;
  const bytes = Buffer.from(part, 'base64url');
  return bytes.toString('base64url') === part ? bytes : undefined;
}

/**
 * Encrypts small values at rest with AES-256-GCM. Tokens name their key, so values written
 * under a retired key still decrypt while a rotation re-encrypts them.
 */
export class DataCipher {
  private readonly currentId: string;
  private readonly keys = new Map<string, Buffer>();

  constructor(keyring: Keyring) {
    for (const key of [keyring.current, ...(keyring.previous ?? [])]) {
      if (key.length !== KEY_BYTES) throw new RangeError('Every encryption key must be 32 bytes.');
      // A copy, so that a caller zeroing or reusing its buffer cannot change our keys.
      this.keys.set(keyIdFor(key), Buffer.from(key));
    }
    this.currentId = keyIdFor(keyring.current);
  }

  static fromConfig(config: AppConfig): DataCipher {
    return new DataCipher({ current: config.secrets.dataEncryptionKey });
  }

  /** `context` names where the value lives (e.g. `totp:<personId>`); decrypt must repeat it. */
  encrypt(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.keys.get(this.currentId)!, iv, {
      authTagLength: TAG_BYTES,
    });
    cipher.setAAD(additionalData(this.currentId, context));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [
      VERSION,
      this.currentId,
      iv.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
      ciphertext.toString('base64url'),
    ].join('.');
  }

  /** The plaintext, or a typed error: never a partial or unauthenticated result. */
  decrypt(token: string, context: string): string {
    const { keyId, iv, tag, ciphertext } = parseToken(token);
    const key = this.keys.get(keyId);
    if (!key) throw new UnknownEncryptionKey(keyId);
    try {
      const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(additionalData(keyId, context));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new CiphertextTampered();
    }
  }

  /** The id of the key a token was written under. */
  keyIdOf(token: string): string {
    return parseToken(token).keyId;
  }

  /** True when the token was written under a key other than the current one. */
  needsReencryption(token: string): boolean {
    return this.keyIdOf(token) !== this.currentId;
  }
}

/** The version and key id are authenticated with the context, so no header field can be swapped. */
function additionalData(keyId: string, context: string): Buffer {
  return Buffer.from(`${VERSION}.${keyId}.${context}`, 'utf8');
}

function parseToken(token: string): { keyId: string; iv: Buffer; tag: Buffer; ciphertext: Buffer } {
  const parts = typeof token === 'string' ? token.split('.') : [];
  if (parts.length !== 5 || parts[0] !== VERSION || !KEY_ID.test(parts[1])) {
    throw new CiphertextTampered();
  }
  const [iv, tag, ciphertext] = parts.slice(2).map(decodeBase64Url);
  if (iv?.length !== IV_BYTES || tag?.length !== TAG_BYTES || !ciphertext) {
    throw new CiphertextTampered();
  }
  return { keyId: parts[1], iv, tag, ciphertext };
}

/** Registers {@link DataCipher} for injection by class, built from the configured key. */
export const DATA_CIPHER_PROVIDER: FactoryProvider<DataCipher> = {
  provide: DataCipher,
  useFactory: (config: AppConfig) => DataCipher.fromConfig(config),
  inject: [APP_CONFIG],
};
