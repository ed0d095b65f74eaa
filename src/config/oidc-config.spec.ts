import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './config.error';
import { loadConfig } from './config.loader';

const BASE = {
  SESSION_SECRET: 's'.repeat(40),
  DATA_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
};
const PRODUCTION = {
  ...BASE,
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://attest@db/attest',
  SIGNING_P12: '/etc/attest/seal.p12',
  SMTP_URL: 'smtps://attest:pw@smtp.example.com:465',
  MAIL_FROM: 'attest@example.com',
  PUBLIC_URL: 'https://attest.example.com',
};
const OIDC = {
  OIDC_ISSUER: 'https://login.example.com',
  OIDC_CLIENT_ID: 'attest',
  OIDC_CLIENT_SECRET: 'client-secret-0123456789',
};
const SAML = {
  SAML_IDP_SSO_URL: 'https://idp.example.com/sso',
  SAML_IDP_ENTITY_ID: 'https://idp.example.com',
  SAML_IDP_CERT: '/etc/attest/idp.pem',
};

function issues(env: Record<string, string>): string[] {
  try {
    loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'attest-oidc-config-')), ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split('\n').slice(1, -1);
    throw error;
  }
  return [];
}

const load = (env: Record<string, string>) =>
  loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'attest-oidc-config-')), ...env });

describe('OpenID Connect settings', () => {
  it('starts in production with OIDC alone, and derives the redirect URI', () => {
    const config = load({ ...PRODUCTION, ...OIDC });
    expect(config.saml.idp).toBeUndefined();
    expect(config.oidc).toMatchObject({
      issuer: 'https://login.example.com',
      clientAuthMethod: 'client_secret_basic',
      redirectUri: 'https://attest.example.com/auth/oidc/callback',
      scopes: 'openid email profile',
      claims: { email: 'email', name: 'name', groups: 'groups' },
      requireEmailVerified: true,
      allowInsecureIssuer: false,
    });
    expect(
      load({ ...PRODUCTION, ...OIDC, OIDC_REQUIRE_EMAIL_VERIFIED: 'false' }).oidc,
    ).toMatchObject({ requireEmailVerified: false });
  });

  it('refuses production with both protocols, naming the variables', () => {
    const problems = issues({ ...PRODUCTION, ...OIDC, ...SAML });
    expect(problems).toEqual([
      expect.stringMatching(
        /OIDC_ISSUER cannot be combined with SAML_IDP_METADATA or SAML_IDP_SSO_URL/,
      ),
    ]);
  });

  it('refuses production with neither, naming both ways', () => {
    const problems = issues(PRODUCTION);
    expect(problems.length).toBe(3);
    expect(problems[0]).toMatch(/SAML_IDP_SSO_URL is required in production.*OIDC_ISSUER/);
  });

  it('refuses both outside production too, and keeps the demo IdP when neither is set', () => {
    expect(issues({ ...BASE, ...OIDC, ...SAML })).toHaveLength(1);
    const demo = load(BASE);
    expect(demo.oidc).toBeUndefined();
    expect(demo.saml.idp).toBeUndefined();
  });

  it('refuses an http issuer in production but allows one locally', () => {
    expect(issues({ ...PRODUCTION, ...OIDC, OIDC_ISSUER: 'http://login.example.com' })).toEqual([
      '  - OIDC_ISSUER must be an https URL in production',
    ]);
    expect(load({ ...BASE, ...OIDC, OIDC_ISSUER: 'http://127.0.0.1:9000' }).oidc).toMatchObject({
      allowInsecureIssuer: true,
    });
  });

  it('chooses private_key_jwt from a key file, and refuses a secret beside it', () => {
    const key = { OIDC_CLIENT_PRIVATE_KEY_FILE: '/etc/attest/oidc.pem' };
    const { OIDC_CLIENT_SECRET: _secret, ...withoutSecret } = OIDC;
    expect(load({ ...BASE, ...withoutSecret, ...key }).oidc?.clientAuthMethod).toBe(
      'private_key_jwt',
    );
    expect(issues({ ...BASE, ...OIDC, ...key })).toEqual([
      '  - OIDC_CLIENT_SECRET cannot be combined with private_key_jwt: set one way to authenticate the client',
    ]);
  });

  it('names what is missing, and never quotes the secret', () => {
    const problems = issues({
      ...BASE,
      OIDC_ISSUER: OIDC.OIDC_ISSUER,
      OIDC_CLIENT_SECRET: 'short',
    });
    expect(problems.join('\n')).toMatch(/OIDC_CLIENT_SECRET must be at least 16 characters/);
    expect(problems.join('\n')).not.toContain('short\n');
    const missing = issues({ ...BASE, OIDC_ISSUER: OIDC.OIDC_ISSUER });
    expect(missing).toEqual([
      '  - OIDC_CLIENT_ID is required with OIDC_ISSUER',
      '  - OIDC_CLIENT_SECRET is required for client_secret_basic (or set OIDC_CLIENT_PRIVATE_KEY_FILE for private_key_jwt)',
    ]);
  });

  it('refuses client settings without an issuer, and scopes without openid', () => {
    expect(issues({ ...BASE, OIDC_CLIENT_ID: 'attest' })).toEqual([
      '  - OIDC_CLIENT_ID is set but OIDC_ISSUER is not: set OIDC_ISSUER too',
    ]);
    expect(issues({ ...BASE, ...OIDC, OIDC_SCOPES: 'email profile' })).toEqual([
      '  - OIDC_SCOPES must include openid',
    ]);
  });
});
