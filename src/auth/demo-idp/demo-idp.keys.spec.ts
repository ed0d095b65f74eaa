import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DemoIdpKeys, loadOrCreateDemoIdpKeys } from './demo-idp.keys';

type KeysModule = typeof import('./demo-idp.keys');

/** As another process would: a fresh copy of the module, remembering nothing in memory. */
function loadAsAnotherProcess(dataDir: string): Promise<DemoIdpKeys> {
  let fresh: KeysModule | undefined;
  jest.isolateModules(() => {
    fresh = require('./demo-idp.keys') as KeysModule;
  });
  return fresh!.loadOrCreateDemoIdpKeys(dataDir);
}

describe(loadOrCreateDemoIdpKeys.name, () => {
  const dirs: string[] = [];
  const freshDataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'attest-demo-keys-'));
    dirs.push(dir);
    return dir;
  };

  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('generates an RSA-2048, ten-year certificate with a private key only its owner reads', async () => {
    const dataDir = freshDataDir();

    const sut = await loadOrCreateDemoIdpKeys(dataDir);

    const cert = new X509Certificate(sut.certPem);
    expect(cert.subject).toBe('CN=Attest demo IdP');
    expect(cert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const years = (Date.parse(cert.validTo) - Date.now()) / (365 * 24 * 3_600_000);
    expect(years).toBeGreaterThan(9.9);
    expect(statSync(join(dataDir, 'demo-idp', 'key.pem')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dataDir, 'demo-idp', 'cert.pem'), 'utf8')).toBe(sut.certPem);
  });

  it('signs the certificate with SHA-256, never the SHA-1 default', async () => {
    const sut = await loadOrCreateDemoIdpKeys(freshDataDir());

    // The signature algorithm OID 1.2.840.113549.1.1.11 (sha256WithRSAEncryption), DER-encoded.
    const der = new X509Certificate(sut.certPem).raw;
    expect(der.includes(Buffer.from('06092a864886f70d01010b', 'hex'))).toBe(true);
  });

  it('reuses the stored pair, also from another process', async () => {
    const dataDir = freshDataDir();
    const first = await loadOrCreateDemoIdpKeys(dataDir);

    const again = await loadAsAnotherProcess(dataDir);

    expect(again).toEqual(first);
  });

  it('replaces a pair whose key does not match its certificate', async () => {
    const dataDir = freshDataDir();
    const other = await loadOrCreateDemoIdpKeys(freshDataDir());
    const first = await loadOrCreateDemoIdpKeys(dataDir);
    writeFileSync(join(dataDir, 'demo-idp', 'key.pem'), other.privateKeyPem);

    const replaced = await loadAsAnotherProcess(dataDir);

    expect(replaced.certPem).not.toBe(first.certPem);
    const cert = new X509Certificate(replaced.certPem);
    expect(cert.checkPrivateKey(createPrivateKey(replaced.privateKeyPem))).toBe(true);
  });
});
