import { X509Certificate } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ed25519KeyPem,
  keyDir,
  pkcs12Of,
  sealConfig,
  sealKeyPair,
  type SealKeyPair,
} from '../../../test/factories/seal-key.factory';
import type { SigningConfig } from '../../config/app-config';
import { ConfigError } from '../../config/config.error';
import { loadSealKeys } from './seal-keys';

const DAY_MS = 24 * 3_600_000;
const PASSWORD = 'correct horse battery';

async function refusal(signing: Partial<SigningConfig>): Promise<ConfigError> {
  try {
    await loadSealKeys(sealConfig(signing));
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected loadSealKeys to refuse this seal');
}

function pem(pair: SealKeyPair): Partial<SigningConfig> {
  return { key: pair.keyPem, cert: pair.certPem };
}

describe(loadSealKeys.name, () => {
  let rsa: SealKeyPair;

  beforeAll(async () => {
    rsa = await sealKeyPair();
  });

  it('loads SIGNING_KEY and SIGNING_CERT given as PEM text', async () => {
    const sut = await loadSealKeys(sealConfig(pem(rsa)));
    expect(sut.certificate.raw.equals(new X509Certificate(rsa.certPem).raw)).toBe(true);
    expect(sut.privateKey.asymmetricKeyType).toBe('rsa');
    expect(sut.trusted).toEqual([sut.certificate]);
    expect(sut.chain).toEqual([]);
  });

  it('loads them from file paths, with further certificates as the chain', async () => {
    const dir = keyDir();
    const intermediate = await sealKeyPair();
    writeFileSync(join(dir, 'key.pem'), rsa.keyPem);
    writeFileSync(join(dir, 'cert.pem'), rsa.certPem + intermediate.certPem);
    const sut = await loadSealKeys(
      sealConfig({ key: join(dir, 'key.pem'), cert: join(dir, 'cert.pem') }),
    );
    expect(sut.certificate.subject).toBe(new X509Certificate(rsa.certPem).subject);
    expect(sut.chain.map((c) => c.subject)).toEqual([
      new X509Certificate(intermediate.certPem).subject,
    ]);
  });

  it('accepts an ECDSA P-256 key', async () => {
    const sut = await loadSealKeys(sealConfig(pem(await sealKeyPair({ kind: 'p256' }))));
    expect(sut.privateKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
  });

  it('opens SIGNING_P12 from a path or as base64 with SIGNING_P12_PASSWORD', async () => {
    const p12 = pkcs12Of(rsa, PASSWORD);
    const fromPath = await loadSealKeys(sealConfig({ p12: p12.file, p12Password: PASSWORD }));
    const fromBase64 = await loadSealKeys(
      sealConfig({ p12: p12.bytes.toString('base64'), p12Password: PASSWORD }),
    );
    const expected = new X509Certificate(rsa.certPem).fingerprint256;
    expect(fromPath.certificate.fingerprint256).toBe(expected);
    expect(fromBase64.certificate.fingerprint256).toBe(expected);
  });

  it('names SIGNING_P12_PASSWORD when the passphrase is wrong, without quoting it', async () => {
    const error = await refusal({ p12: pkcs12Of(rsa, PASSWORD).file, p12Password: 'guess' });
    expect(error.variables).toEqual(['SIGNING_P12_PASSWORD']);
    expect(error.message).toMatch(
      /SIGNING_P12_PASSWORD does not open SIGNING_P12: the passphrase is wrong/,
    );
    expect(error.message).not.toContain('guess');
    expect(error.message).not.toContain(PASSWORD);
  });

  it('explains how to re-export a PKCS#12 with legacy RC2/3DES encryption', async () => {
    const error = await refusal({
      p12: pkcs12Of(rsa, PASSWORD, { legacy: true }).file,
      p12Password: PASSWORD,
    });
    expect(error.variables).toEqual(['SIGNING_P12']);
    expect(error.message).toMatch(/legacy PKCS#12 encryption.*openssl pkcs12 -export/);
  });

  it.each([
    ['not a path nor base64', 'not a file!', /neither a readable file path nor base64/],
    ['base64 of something else', Buffer.from('hello').toString('base64'), /is not a PKCS#12/],
  ])('names SIGNING_P12 when it is %s', async (_case, value, message) => {
    const error = await refusal({ p12: value, p12Password: PASSWORD });
    expect(error.variables).toEqual(['SIGNING_P12']);
    expect(error.message).toMatch(message);
  });

  it('refuses an expired certificate, naming SIGNING_CERT and the date', async () => {
    const expired = await sealKeyPair({
      notBefore: new Date(Date.now() - 400 * DAY_MS),
      notAfter: new Date(Date.now() - 2 * DAY_MS),
    });
    const error = await refusal(pem(expired));
    expect(error.variables).toEqual(['SIGNING_CERT']);
    expect(error.message).toMatch(
      /SIGNING_CERT holds a seal certificate that expired on \d{4}-\d{2}-\d{2}/,
    );
  });

  it('refuses a certificate that is not valid yet', async () => {
    const future = await sealKeyPair({
      notBefore: new Date(Date.now() + 2 * DAY_MS),
      notAfter: new Date(Date.now() + 400 * DAY_MS),
    });
    const error = await refusal(pem(future));
    expect(error.variables).toEqual(['SIGNING_CERT']);
    expect(error.message).toMatch(/is not valid until/);
  });

  it('refuses an expired certificate inside SIGNING_P12 too', async () => {
    const expired = await sealKeyPair({
      notBefore: new Date(Date.now() - 400 * DAY_MS),
      notAfter: new Date(Date.now() - 2 * DAY_MS),
    });
    const error = await refusal({ p12: pkcs12Of(expired, PASSWORD).file, p12Password: PASSWORD });
    expect(error.variables).toEqual(['SIGNING_P12']);
    expect(error.message).toMatch(/expired on/);
  });

  it.each([
    ['RSA 1024', 'rsa1024', /SIGNING_KEY holds an RSA 1024-bit key; seals need/],
    ['ECDSA P-384', 'p384', /SIGNING_KEY holds an ECDSA key on curve secp384r1; seals need/],
  ] as const)('refuses an unsupported %s key', async (_name, kind, message) => {
    const error = await refusal(pem(await sealKeyPair({ kind })));
    expect(error.variables).toEqual(['SIGNING_KEY']);
    expect(error.message).toMatch(message);
  });

  it('refuses an Ed25519 key', async () => {
    const error = await refusal({ key: ed25519KeyPem(), cert: rsa.certPem });
    expect(error.variables).toEqual(['SIGNING_KEY']);
    expect(error.message).toMatch(/holds an ed25519 key; seals need/);
  });

  it('refuses a certificate that belongs to another key', async () => {
    const other = await sealKeyPair();
    const error = await refusal({ key: rsa.keyPem, cert: other.certPem });
    expect(error.variables).toEqual(['SIGNING_CERT']);
    expect(error.message).toMatch(/does not match the private key in SIGNING_KEY/);
  });

  it.each([
    ['SIGNING_KEY', { key: 'no-such-file.pem', cert: 'x' }, /SIGNING_KEY is neither PEM text/],
    [
      'SIGNING_KEY',
      { key: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----', cert: 'x' },
      /holds no unencrypted PEM private key/,
    ],
    ['SIGNING_CERT', { cert: '-----BEGIN NOTHING-----' }, /SIGNING_CERT holds no PEM certificate/],
  ])('names %s when it cannot be read', async (variable, signing, message) => {
    const error = await refusal({ key: rsa.keyPem, ...signing });
    expect(error.variables).toEqual([variable]);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('PRIVATE KEY-----');
  });

  it('trusts SEAL_PINNED_CERTS after the current certificate', async () => {
    const old = await sealKeyPair();
    const sut = await loadSealKeys(sealConfig({ ...pem(rsa), pinnedCerts: old.certPem }));
    expect(sut.trusted.map((c) => c.fingerprint256)).toEqual([
      new X509Certificate(rsa.certPem).fingerprint256,
      new X509Certificate(old.certPem).fingerprint256,
    ]);
    const error = await refusal({ ...pem(rsa), pinnedCerts: '/no/such/pinned.pem' });
    expect(error.variables).toEqual(['SEAL_PINNED_CERTS']);
  });

  it('generates a development seal once into DATA_DIR (key 0600) and reuses it', async () => {
    const config = sealConfig();
    const first = await loadSealKeys(config);
    expect(statSync(join(config.dataDir, 'seal', 'key.pem')).mode & 0o777).toBe(0o600);
    expect(first.certificate.subject).toContain('Attest development seal');
    const second = await loadSealKeys(config);
    expect(second.certificate.fingerprint256).toBe(first.certificate.fingerprint256);
    expect(readFileSync(join(config.dataDir, 'seal', 'cert.pem'), 'utf8')).toContain(
      'BEGIN CERTIFICATE',
    );
  });

  it('never generates a seal in production', async () => {
    const config = { ...sealConfig(), isProduction: true };
    await expect(loadSealKeys(config)).rejects.toThrow(/SIGNING_P12 is required in production/);
    expect(() => statSync(join(config.dataDir, 'seal'))).toThrow(/ENOENT/);
  });
});
