import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './config.error';
import { loadConfig } from './config.loader';
import { LOCAL_SECRETS_FILE } from './local-secrets.store';

const SESSION_SECRET = 's'.repeat(40);
const DATA_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');

const IDP = {
  SAML_IDP_SSO_URL: 'https://idp.example.com/sso',
  SAML_IDP_ENTITY_ID: 'https://idp.example.com',
  SAML_IDP_CERT: '/etc/attest/idp.pem',
};

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'attest-config-'));
}

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected loadConfig to refuse this environment');
}

const MAIL = {
  SMTP_URL: 'smtps://attest:mail-password@smtp.example.com:465',
  MAIL_FROM: 'Attest <attest@example.com>',
};

describe(loadConfig.name, () => {
  it('applies the documented defaults outside production', () => {
    const dataDir = tempDir();
    const sut = loadConfig({ DATA_DIR: dataDir });
    expect(sut).toMatchObject({
      nodeEnv: 'development',
      isProduction: false,
      host: '127.0.0.1',
      port: 3000,
      publicUrl: 'http://localhost:3000',
      dataDir,
      database: { url: undefined, embeddedPort: 0, migrateOnStart: true },
      logLevel: 'info',
    });
    expect(Object.isFrozen(sut)).toBe(true);
    expect(sut.secrets.dataEncryptionKey).toHaveLength(32);
  });

  it('generates missing secrets once into DATA_DIR (mode 0600) and reuses them', () => {
    const dataDir = tempDir();
    const first = loadConfig({ DATA_DIR: dataDir });
    const file = join(dataDir, LOCAL_SECRETS_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = loadConfig({ DATA_DIR: dataDir });
    expect(second.secrets.sessionSecret).toBe(first.secrets.sessionSecret);
    expect(second.secrets.dataEncryptionKey.equals(first.secrets.dataEncryptionKey)).toBe(true);
    expect(readFileSync(file, 'utf8')).toContain(first.secrets.sessionSecret);
  });

  it('prefers secrets from the environment over generated ones', () => {
    const sut = loadConfig({ DATA_DIR: tempDir(), SESSION_SECRET, DATA_ENCRYPTION_KEY });
    expect(sut.secrets.sessionSecret).toBe(SESSION_SECRET);
    expect(sut.secrets.dataEncryptionKey.toString('base64')).toBe(DATA_ENCRYPTION_KEY);
  });

  it('refuses production without secrets or a database, naming every variable', () => {
    const dataDir = tempDir();
    const error = configError({ NODE_ENV: 'production', DATA_DIR: dataDir });
    expect(error.variables.sort()).toEqual(
      [
        'DATABASE_URL',
        'DATA_ENCRYPTION_KEY',
        'SESSION_SECRET',
        'SAML_IDP_SSO_URL',
        'SAML_IDP_ENTITY_ID',
        'SAML_IDP_CERT',
        'SIGNING_P12',
        'SMTP_URL',
        'MAIL_FROM',
      ].sort(),
    );
    expect(error.message).toMatch(/SESSION_SECRET is required/);
    // Production never falls back to generated secrets.
    expect(() => statSync(join(dataDir, LOCAL_SECRETS_FILE))).toThrow(/ENOENT/);
  });

  it('reports malformed secrets without echoing their values', () => {
    const badSecret = 'short-but-secret-value';
    const badKey = Buffer.alloc(16, 9).toString('base64');
    const error = configError({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://attest:pw@db/attest',
      SAML_IDP_METADATA: '/etc/attest/idp.xml',
      SIGNING_P12: '/etc/attest/seal.p12',
      SESSION_SECRET: badSecret,
      DATA_ENCRYPTION_KEY: badKey,
      ...MAIL,
    });
    expect(error.variables.sort()).toEqual(['DATA_ENCRYPTION_KEY', 'SESSION_SECRET']);
    expect(error.message).toMatch(/SESSION_SECRET must be at least 32 characters/);
    expect(error.message).toMatch(/DATA_ENCRYPTION_KEY must be base64 of exactly 32 bytes/);
    expect(error.message).not.toContain(badSecret);
    expect(error.message).not.toContain(badKey);
  });

  it.each([
    ['too short', 'short-metrics-token', /METRICS_TOKEN must be at least 32 characters/],
    ['with a space', `${'a'.repeat(20)} ${'b'.repeat(20)}`, /METRICS_TOKEN must be printable/],
  ])('refuses a METRICS_TOKEN %s, without echoing it', (_case, token, message) => {
    const error = configError({ DATA_DIR: tempDir(), METRICS_TOKEN: token });
    expect(error.variables).toEqual(['METRICS_TOKEN']);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain(token);
  });

  it('keeps a METRICS_TOKEN among the secrets, and none by default', () => {
    const token = 'f'.repeat(64);
    expect(loadConfig({ DATA_DIR: tempDir(), METRICS_TOKEN: token }).secrets.metricsToken).toBe(
      token,
    );
    expect(loadConfig({ DATA_DIR: tempDir() }).secrets.metricsToken).toBeUndefined();
  });

  it('starts in production when everything required is present', () => {
    const sut = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgresql://attest@db:5432/attest',
      ...IDP,
      SESSION_SECRET,
      DATA_ENCRYPTION_KEY,
      PUBLIC_URL: 'https://attest.example.com/',
      SIGNING_KEY: '/etc/attest/seal-key.pem',
      SIGNING_CERT: '/etc/attest/seal-cert.pem',
      ...MAIL,
    });
    expect(sut).toMatchObject({
      host: '0.0.0.0',
      publicUrl: 'https://attest.example.com',
      database: { migrateOnStart: false },
      mail: { smtpUrl: MAIL.SMTP_URL, from: MAIL.MAIL_FROM, background: true },
    });
  });

  it.each([
    ['http://mail.example.com', 'an http URL'],
    ['smtps://mailer:s3cret-Pa55@', 'no host'],
    ['mail.example.com:587', 'no scheme'],
  ])('refuses SMTP_URL %s (%s), never echoing the password', (value) => {
    const error = configError({ DATA_DIR: tempDir(), SMTP_URL: value });
    expect(error.variables).toEqual(['SMTP_URL']);
    expect(error.message).toMatch(/SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL/);
    expect(error.message).not.toContain('s3cret');
  });

  it.each([['Attest <attest@example.com>\r\nBcc: everyone@example.com'], ['not an address']])(
    'refuses MAIL_FROM %j',
    (value) => {
      expect(configError({ DATA_DIR: tempDir(), MAIL_FROM: value }).variables).toEqual([
        'MAIL_FROM',
      ]);
    },
  );

  it('keeps mail in the development mailbox without SMTP_URL, and runs no jobs under test', () => {
    const dev = loadConfig({ DATA_DIR: tempDir() });
    expect(dev.mail).toMatchObject({
      smtpUrl: undefined,
      from: 'Attest <attest@localhost>',
      background: true,
    });
    expect(loadConfig({ DATA_DIR: tempDir(), NODE_ENV: 'test' }).mail.background).toBe(false);
    expect(
      loadConfig({ DATA_DIR: tempDir(), NODE_ENV: 'test', NOTIFICATIONS: 'on' }).mail.background,
    ).toBe(true);
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['PUBLIC_URL', 'ftp://example.com'],
    ['DATABASE_URL', 'mysql://db/attest'],
    ['MIGRATE_ON_START', 'sometimes'],
    ['LOG_LEVEL', 'loud'],
    ['NODE_ENV', 'staging'],
    ['TRUST_PROXY', 'true'],
    ['TRUST_PROXY', '0'],
    ['TRUST_PROXY', '11'],
    ['TRUST_PROXY', '10.0.0.0/33'],
    ['TRUST_PROXY', 'proxy.internal'],
    ['TRUST_PROXY', '10.0.0.1,'],
  ])('names %s when it is malformed (%s)', (variable, value) => {
    const error = configError({ DATA_DIR: tempDir(), [variable]: value });
    expect(error.variables).toEqual([variable]);
  });

  it.each([
    ['2', 2],
    ['10.0.0.0/8, fd00::/8', ['10.0.0.0/8', 'fd00::/8']],
    ['127.0.0.1', ['127.0.0.1']],
    ['loopback,192.168.1.10', ['loopback', '192.168.1.10']],
  ])('reads TRUST_PROXY %s as a hop count or proxy addresses', (value, expected) => {
    expect(loadConfig({ DATA_DIR: tempDir(), TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it('leaves TRUST_PROXY unset by default, so forwarded headers are ignored', () => {
    expect(loadConfig({ DATA_DIR: tempDir() }).trustProxy).toBeUndefined();
  });

  it('names the missing SAML settings when only some are given', () => {
    const error = configError({ DATA_DIR: tempDir(), SAML_IDP_SSO_URL: IDP.SAML_IDP_SSO_URL });
    expect(error.variables.sort()).toEqual(['SAML_IDP_CERT', 'SAML_IDP_ENTITY_ID']);
  });

  it.each([
    [{ SIGNING_P12: 'seal.p12', SIGNING_KEY: 'key.pem', SIGNING_CERT: 'cert.pem' }, 'SIGNING_P12'],
    [{ SIGNING_CERT: 'cert.pem' }, 'SIGNING_KEY'],
    [{ SIGNING_KEY: 'key.pem' }, 'SIGNING_CERT'],
    [{ SIGNING_P12_PASSWORD: 'secret' }, 'SIGNING_P12'],
  ])('names the seal setting that is missing or conflicting (%o)', (env, variable) => {
    const error = configError({ DATA_DIR: tempDir(), ...env });
    expect(error.variables).toEqual([variable]);
    expect(error.message).not.toContain('secret');
  });

  it('keeps the seal settings for the attestations module to load', () => {
    const sut = loadConfig({
      DATA_DIR: tempDir(),
      SIGNING_P12: 'seal.p12',
      SIGNING_P12_PASSWORD: '',
      TSA_URL: 'http://tsa.example.com/',
      SEAL_PINNED_CERTS: 'old.pem',
    });
    expect(sut.signing).toEqual({
      p12: 'seal.p12',
      p12Password: '',
      key: undefined,
      cert: undefined,
      tsaUrl: 'http://tsa.example.com/',
      pinnedCerts: 'old.pem',
    });
  });

  it('uses the demo IdP outside production when no IdP is configured', () => {
    expect(loadConfig({ DATA_DIR: tempDir() }).saml.idp).toBeUndefined();
  });

  it('parses ROLE_MAP into group → roles and refuses unknown roles', () => {
    const sut = loadConfig({ DATA_DIR: tempDir(), ROLE_MAP: 'admin:ops, hr:people,auditor:ops' });
    expect(sut.saml.roleMap.get('ops')).toEqual(['admin', 'auditor']);
    expect(sut.saml.roleMap.get('people')).toEqual(['hr']);
    expect(configError({ DATA_DIR: tempDir(), ROLE_MAP: 'root:wheel' }).variables).toEqual([
      'ROLE_MAP',
    ]);
  });

  it.each([
    [{}, true],
    [{ DEMO_DATA: 'false' }, false],
    [{ DEMO_DATA: '0' }, false],
    [{ NODE_ENV: 'test' }, false],
    [{ NODE_ENV: 'test', DEMO_DATA: 'true' }, true],
  ])('makes the demo organisation in development only, unless DEMO_DATA says (%j)', (env, on) => {
    expect(loadConfig({ DATA_DIR: tempDir(), ...env }).demoData).toBe(on);
  });

  it('never makes the demo organisation in production, and refuses DEMO_DATA=true there', () => {
    const production = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgresql://attest@db:5432/attest',
      ...IDP,
      SESSION_SECRET,
      DATA_ENCRYPTION_KEY,
      SIGNING_KEY: '/etc/attest/seal-key.pem',
      SIGNING_CERT: '/etc/attest/seal-cert.pem',
      ...MAIL,
    };
    expect(loadConfig(production).demoData).toBe(false);
    expect(configError({ ...production, DEMO_DATA: 'true' }).variables).toEqual(['DEMO_DATA']);
    expect(configError({ DATA_DIR: tempDir(), DEMO_DATA: 'yes' }).variables).toEqual(['DEMO_DATA']);
  });

  it('treats empty variables as unset', () => {
    const sut = loadConfig({ DATA_DIR: tempDir(), PORT: '', DATABASE_URL: ' ' });
    expect(sut.port).toBe(3000);
    expect(sut.database.url).toBeUndefined();
  });
});
