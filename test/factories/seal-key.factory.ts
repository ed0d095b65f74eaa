import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import type { AppConfig, SigningConfig } from '../../src/config/app-config';
import { loadConfig } from '../../src/config/config.loader';
import { loadSealKeys, type SealKeys } from '../../src/attestations/seal/seal-keys';

export type SealKeyKind = 'rsa2048' | 'rsa1024' | 'p256' | 'p384';

export interface SealKeyPair {
  readonly keyPem: string;
  readonly certPem: string;
}

const DAY_MS = 24 * 3_600_000;

let sequence = 0;

/** A self-signed seal certificate and its key; dates default to "valid for a year from now". */
export async function sealKeyPair(
  options: { kind?: SealKeyKind; notBefore?: Date; notAfter?: Date; commonName?: string } = {},
): Promise<SealKeyPair> {
  sequence++;
  const kind = options.kind ?? 'rsa2048';
  const notBefore = options.notBefore ?? new Date(Date.now() - DAY_MS);
  const pems = await generate(
    [{ name: 'commonName', value: options.commonName ?? `Test seal ${sequence}` }],
    {
      keyType: kind.startsWith('rsa') ? 'rsa' : 'ec',
      keySize: kind === 'rsa1024' ? 1024 : 2048,
      curve: kind === 'p384' ? 'P-384' : 'P-256',
      algorithm: 'sha256',
      notBeforeDate: notBefore,
      notAfterDate: options.notAfter ?? new Date(Date.now() + 365 * DAY_MS),
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, contentCommitment: true },
      ],
    },
  );
  return { keyPem: pems.private, certPem: pems.cert };
}

/** An Ed25519 private key (PEM): a key type seals refuse. */
export function ed25519KeyPem(): string {
  return generateKeyPairSync('ed25519').privateKey.export({
    type: 'pkcs8',
    format: 'pem',
  }) as string;
}

/** A directory for a test's key files, removed with the OS temp dir. */
export function keyDir(): string {
  return mkdtempSync(join(tmpdir(), 'attest-seal-'));
}

/** A PKCS#12 file made by `openssl pkcs12 -export` (AES-256 by default, RC2/3DES with legacy). */
export function pkcs12Of(pair: SealKeyPair, password: string, options: { legacy?: boolean } = {}) {
  const dir = keyDir();
  writeFileSync(join(dir, 'key.pem'), pair.keyPem, { mode: 0o600 });
  writeFileSync(join(dir, 'cert.pem'), pair.certPem);
  const out = join(dir, 'seal.p12');
  execFileSync('openssl', [
    'pkcs12',
    '-export',
    ...(options.legacy ? ['-legacy'] : []),
    '-inkey',
    join(dir, 'key.pem'),
    '-in',
    join(dir, 'cert.pem'),
    '-out',
    out,
    '-passout',
    `pass:${password}`,
  ]);
  return { file: out, bytes: readFileSync(out) };
}

/** A development AppConfig with the given seal settings. */
export function sealConfig(signing: Partial<SigningConfig> = {}): AppConfig {
  const base = loadConfig({ DATA_DIR: keyDir(), NODE_ENV: 'test' });
  return { ...base, signing: { ...base.signing, ...signing } };
}

/** Loaded seal keys for a fresh RSA (or given) key pair, plus the pair itself. */
export async function sealKeys(
  options: { kind?: SealKeyKind; pinned?: string; tsaUrl?: string; pair?: SealKeyPair } = {},
): Promise<SealKeys & { readonly pair: SealKeyPair }> {
  const pair = options.pair ?? (await sealKeyPair({ kind: options.kind }));
  const keys = await loadSealKeys(
    sealConfig({
      key: pair.keyPem,
      cert: pair.certPem,
      pinnedCerts: options.pinned,
      tsaUrl: options.tsaUrl,
    }),
  );
  return { ...keys, pair };
}
