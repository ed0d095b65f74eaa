import { createPrivateKey, X509Certificate } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generate } from 'selfsigned';

/** The demo IdP's signing key and self-signed certificate, as PEM. */
export interface DemoIdpKeys {
  readonly privateKeyPem: string;
  readonly certPem: string;
}

const TEN_YEARS_MS = 10 * 365 * 24 * 3_600_000;

// Start-up asks twice (the SP's trusted certificate, the IdP's signer): one promise per
// directory, so both see the same pair even on the first run.
const loading = new Map<string, Promise<DemoIdpKeys>>();

async function readUsable(dir: string): Promise<DemoIdpKeys | undefined> {
  try {
    const keys = {
      privateKeyPem: await readFile(join(dir, 'key.pem'), 'utf8'),
      certPem: await readFile(join(dir, 'cert.pem'), 'utf8'),
    };
    const cert = new X509Certificate(keys.certPem);
    const usable =
      cert.checkPrivateKey(createPrivateKey(keys.privateKeyPem)) &&
      new Date(cert.validTo).getTime() > Date.now();
    return usable ? keys : undefined;
  } catch {
    return undefined;
  }
}

async function writePrivate(file: string, text: string, mode: number): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, text, { mode });
  await chmod(temp, mode);
  await rename(temp, file);
}

async function create(dir: string): Promise<DemoIdpKeys> {
  const now = Date.now();
  const pems = await generate([{ name: 'commonName', value: 'Attest demo IdP' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: new Date(now - 60_000),
    notAfterDate: new Date(now + TEN_YEARS_MS),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
    ],
  });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writePrivate(join(dir, 'key.pem'), pems.private, 0o600);
  await writePrivate(join(dir, 'cert.pem'), pems.cert, 0o644);
  return { privateKeyPem: pems.private, certPem: pems.cert };
}

/**
 * Reads DATA_DIR/demo-idp/{key,cert}.pem, generating them on first use. A missing, mismatched
 * or expired pair is replaced: only this process's own SP trusts it.
 */
export function loadOrCreateDemoIdpKeys(dataDir: string): Promise<DemoIdpKeys> {
  const dir = join(dataDir, 'demo-idp');
  let keys = loading.get(dir);
  if (!keys) {
    keys = readUsable(dir).then((found) => found ?? create(dir));
    keys.catch(() => loading.delete(dir));
    loading.set(dir, keys);
  }
  return keys;
}
