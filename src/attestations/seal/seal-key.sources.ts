import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import type { AppConfig, SigningConfig } from '../../config/app-config';
import { Pkcs12Error, readPkcs12 } from './pkcs12.reader';
import { sealConfigError, type SealMaterial } from './seal-key.checks';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** PEM text as given (literal `\n` allowed, as env files often carry it), or a file's text. */
export function pemOrFile(value: string, variable: string): string {
  if (value.includes('-----BEGIN')) return value.replace(/\\n/g, '\n');
  try {
    return readFileSync(value, 'utf8');
  } catch {
    throw sealConfigError(variable, 'is neither PEM text nor a readable file path');
  }
}

/** Every certificate in a PEM bundle; at least one, each parsing as X.509. */
export function certificatesIn(pem: string, variable: string): X509Certificate[] {
  const blocks = pem.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) throw sealConfigError(variable, 'holds no PEM certificate');
  return blocks.map((block) => {
    try {
      return new X509Certificate(block);
    } catch {
      throw sealConfigError(variable, 'holds a certificate that does not parse');
    }
  });
}

function privateKeyIn(pem: string, variable: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch {
    throw sealConfigError(
      variable,
      'holds no unencrypted PEM private key (PKCS#8, PKCS#1 or SEC1 "BEGIN … PRIVATE KEY")',
    );
  }
}

/** SIGNING_KEY + SIGNING_CERT; certificates after the first one are the chain. */
export function pemSealMaterial(signing: SigningConfig): SealMaterial {
  const privateKey = privateKeyIn(pemOrFile(signing.key!, 'SIGNING_KEY'), 'SIGNING_KEY');
  const [certificate, ...chain] = certificatesIn(
    pemOrFile(signing.cert!, 'SIGNING_CERT'),
    'SIGNING_CERT',
  );
  return {
    privateKey,
    certificate,
    chain,
    keyVariable: 'SIGNING_KEY',
    certVariable: 'SIGNING_CERT',
  };
}

function pkcs12Bytes(value: string): Buffer {
  if (existsSync(value) && statSync(value).isFile()) return readFileSync(value);
  const compact = value.replace(/\s+/g, '');
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return Buffer.from(compact, 'base64');
  throw sealConfigError('SIGNING_P12', 'is neither a readable file path nor base64 text');
}

const PKCS12_PROBLEMS: Record<Pkcs12Error['problem'], [variable: string, problem: string]> = {
  unreadable: ['SIGNING_P12', 'is not a PKCS#12 (.p12/.pfx) file'],
  'wrong-passphrase': [
    'SIGNING_P12_PASSWORD',
    'does not open SIGNING_P12: the passphrase is wrong (or the file is damaged)',
  ],
  'legacy-encryption': [
    'SIGNING_P12',
    'uses legacy PKCS#12 encryption (RC2/3DES) that Attest does not read; re-export it with `openssl pkcs12 -export` (OpenSSL 3 defaults: AES-256), or set SIGNING_KEY and SIGNING_CERT instead',
  ],
  'no-key': ['SIGNING_P12', 'holds no private key'],
};

/** SIGNING_P12 + SIGNING_P12_PASSWORD; the certificate is the one for the key, others chain. */
export async function pkcs12SealMaterial(signing: SigningConfig): Promise<SealMaterial> {
  let contents;
  try {
    contents = await readPkcs12(pkcs12Bytes(signing.p12!), signing.p12Password ?? '');
  } catch (error) {
    if (!(error instanceof Pkcs12Error)) throw error;
    const [variable, problem] = PKCS12_PROBLEMS[error.problem];
    throw sealConfigError(variable, problem);
  }
  const { privateKey, certificates } = contents;
  const certificate =
    certificates.find((cert) => cert.checkPrivateKey(privateKey)) ?? certificates[0];
  if (!certificate) throw sealConfigError('SIGNING_P12', 'holds no certificate');
  return {
    privateKey,
    certificate,
    chain: certificates.filter((cert) => cert !== certificate),
    keyVariable: 'SIGNING_P12',
    certVariable: 'SIGNING_P12',
  };
}

/**
 * Outside production with no seal configured: a self-signed RSA seal generated once into
 * DATA_DIR/seal (key mode 0600) and reused, so earlier local PDFs keep verifying.
 */
export async function developmentSealMaterial(config: AppConfig): Promise<SealMaterial> {
  const dir = join(config.dataDir, 'seal');
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  let keyPem: string;
  let certPem: string;
  if (existsSync(keyFile) && existsSync(certFile)) {
    keyPem = readFileSync(keyFile, 'utf8');
    certPem = readFileSync(certFile, 'utf8');
  } else {
    const pems = await generate(
      [
        { name: 'commonName', value: 'Attest development seal (self-signed)' },
        { name: 'organizationName', value: config.organisationName },
      ],
      {
        keySize: 2048,
        algorithm: 'sha256',
        // A minute back: the start checks validity against a time taken before generating, and
        // X.509 times have whole seconds.
        notBeforeDate: new Date(Date.now() - 60_000),
        notAfterDate: new Date(Date.now() + 10 * 365 * 24 * 3_600_000),
        extensions: [
          { name: 'basicConstraints', cA: false, critical: true },
          { name: 'keyUsage', digitalSignature: true, contentCommitment: true, critical: true },
        ],
      },
    );
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(keyFile, pems.private, { mode: 0o600 });
    chmodSync(keyFile, 0o600);
    writeFileSync(certFile, pems.cert);
    keyPem = pems.private;
    certPem = pems.cert;
  }
  return {
    privateKey: privateKeyIn(keyPem, 'DATA_DIR'),
    certificate: certificatesIn(certPem, 'DATA_DIR')[0],
    chain: [],
    keyVariable: 'DATA_DIR',
    certVariable: 'DATA_DIR',
    hint: 'this is the generated development seal: delete DATA_DIR/seal to generate a new one',
  };
}
