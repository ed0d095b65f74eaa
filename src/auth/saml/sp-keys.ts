import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import type { AppConfig } from '../../config/app-config';
import { certificatesIn, pemOrFile } from './pem';

/** The SP's key pair for signing AuthnRequests and publishing in its metadata. */
export interface SpKeys {
  readonly privateKeyPem: string;
  readonly certPem: string;
}

/**
 * SAML_SP_PRIVATE_KEY + SAML_SP_CERT when given. Outside production a pair is generated once
 * into DATA_DIR/saml-sp; in production without them, AuthnRequests go unsigned.
 */
export async function loadSpKeys(config: AppConfig): Promise<SpKeys | undefined> {
  const { spPrivateKey, spCert } = config.saml;
  if (spPrivateKey && spCert) {
    return {
      privateKeyPem: pemOrFile(spPrivateKey, 'SAML_SP_PRIVATE_KEY'),
      certPem: certificatesIn(pemOrFile(spCert, 'SAML_SP_CERT'), 'SAML_SP_CERT')[0],
    };
  }
  if (config.isProduction) return undefined;
  const dir = join(config.dataDir, 'saml-sp');
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  try {
    return {
      privateKeyPem: readFileSync(keyFile, 'utf8'),
      certPem: readFileSync(certFile, 'utf8'),
    };
  } catch {
    const pems = await generate([{ name: 'commonName', value: 'Attest service provider' }], {
      keySize: 2048,
      algorithm: 'sha256',
      notAfterDate: new Date(Date.now() + 10 * 365 * 24 * 3_600_000),
    });
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(keyFile, pems.private, { mode: 0o600 });
    chmodSync(keyFile, 0o600);
    writeFileSync(certFile, pems.cert);
    return { privateKeyPem: pems.private, certPem: pems.cert };
  }
}
