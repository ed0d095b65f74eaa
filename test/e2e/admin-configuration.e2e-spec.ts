// The admin's landing page and the read-only configuration page: what Attest runs with, and
// never a secret.
import request from 'supertest';
import { SEAL_KEYS, type SealKeys } from '../../src/attestations/seal/seal-keys';
import { APP_CONFIG, type AppConfig } from '../../src/config/app-config';
import { PERSONAS, signInAs, type SignedIn } from '../helpers/role-sessions';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { TEST_IDP, testIdpEnv } from '../helpers/test-idp';

describe('admin landing and configuration pages', () => {
  let t: TestApp;
  const who = new Map<string, SignedIn>();
  const get = (name: string, path: string) =>
    request(t.server).get(path).set('Cookie', who.get(name)!.cookies).set('Accept', 'text/html');

  beforeAll(async () => {
    t = await createTestApp({ env: await testIdpEnv() });
    for (const persona of PERSONAS) who.set(persona.name, await signInAs(t, persona));
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  it('leads from /admin to people, sessions and configuration', async () => {
    const res = await get('admin-with-totp', '/admin').expect(200);
    expect(res.text).toContain('<a href="/admin/people">People and sessions</a>');
    expect(res.text).toContain('<a href="/admin/configuration">Configuration</a>');
    expect(res.text.match(/<h1[ >]/g)).toHaveLength(1);
  });

  it('asks an admin for their second step first, and refuses everyone else', async () => {
    const before = await get('admin-without-totp', '/admin/configuration').expect(302);
    expect(before.headers.location).toBe('/auth/totp');
    for (const name of ['employee', 'hr', 'auditor']) {
      await get(name, '/admin/configuration').expect(403);
    }
  });

  it('shows the IdP, role map, seal, TSA, rules and documents in force', async () => {
    const res = await get('admin-with-totp', '/admin/configuration').expect(200);
    const html = res.text;
    const seal = t.app.get<SealKeys>(SEAL_KEYS);
    expect(html).toContain(TEST_IDP.entityId);
    expect(html).toContain(TEST_IDP.ssoUrl);
    expect(html).toContain(seal.certificate.fingerprint256);
    expect(html).toMatch(
      /<dt>Expires<\/dt><dd><time datetime="\d{4}-\d{2}-\d{2}T[^"]+">\d{1,2} [A-Z][a-z]{2} \d{4}/,
    );
    expect(html).toContain('<code>attest-auditors</code></th><td>Auditor</td>');
    expect(html).toContain('None configured');
    expect(html.match(/data-testid="rule-row"/g)?.length).toBeGreaterThan(3);
    expect(html).toContain('Non-disclosure agreement');
    expect(html.match(/data-testid="document-row"/g)?.length).toBeGreaterThan(3);
  });

  it('never shows a secret: not the session secret, the encryption key, nor a private key', async () => {
    const html = (await get('admin-with-totp', '/admin/configuration').expect(200)).text;
    const config = t.app.get<AppConfig>(APP_CONFIG);
    expect(html).not.toContain(config.secrets.sessionSecret);
    const key = config.secrets.dataEncryptionKey;
    for (const encoded of [
      key.toString('hex'),
      key.toString('base64'),
      key.toString('base64url'),
    ]) {
      expect(html).not.toContain(encoded);
    }
    expect(html).not.toMatch(/PRIVATE KEY/);
    const sealKey = t.app
      .get<SealKeys>(SEAL_KEYS)
      .privateKey.export({ type: 'pkcs8', format: 'der' })
      .toString('base64');
    for (let i = 0; i + 32 <= sealKey.length; i += 32) {
      expect(html).not.toContain(sealKey.slice(i, i + 32));
    }
  });
});
