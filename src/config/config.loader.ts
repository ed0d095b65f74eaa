import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import type { z } from 'zod';
import type { Role } from '../access/role';
import type { AppConfig, IdentityProviderConfig, SigningConfig } from './app-config';
import { ConfigError, type ConfigIssue } from './config.error';
import { dataEncryptionKey, envSchema, type ParsedEnv, sessionSecret } from './config.schema';
import { loadOrCreateLocalSecrets } from './local-secrets.store';
import { oidcFrom } from './oidc-config';

/** The checkout's policies/ folder, from src/config and dist/config alike. */
export const DEFAULT_POLICIES_DIR = join(__dirname, '..', '..', 'policies');

type Env = Record<string, string | undefined>;

function issuesOf(error: z.ZodError): ConfigIssue[] {
  return error.issues.map((issue) => ({
    variable: String(issue.path[0] ?? 'environment'),
    problem: issue.message,
  }));
}

function requireSecret(
  name: 'SESSION_SECRET' | 'DATA_ENCRYPTION_KEY',
  value: string | undefined,
  issues: ConfigIssue[],
): void {
  const schema = name === 'SESSION_SECRET' ? sessionSecret : dataEncryptionKey;
  const result = schema.safeParse(value);
  if (!result.success) {
    issues.push({ variable: name, problem: result.error.issues[0]?.message ?? 'is invalid' });
  }
}

/** `admin:attest-admins,hr:attest-hr` → group → roles (a group may grant several). */
function parseRoleMap(value: string): ReadonlyMap<string, readonly Role[]> {
  const map = new Map<string, Role[]>();
  for (const pair of value.split(',')) {
    const [role, group] = pair.split(':').map((part) => part.trim());
    map.set(group, [...(map.get(group) ?? []), role as Role]);
  }
  return map;
}

function identityProviderFrom(
  vars: ParsedEnv,
  issues: ConfigIssue[],
  isProduction: boolean,
  oidcIssuer: string | undefined,
): IdentityProviderConfig | undefined {
  const direct = {
    SAML_IDP_SSO_URL: vars.SAML_IDP_SSO_URL,
    SAML_IDP_ENTITY_ID: vars.SAML_IDP_ENTITY_ID,
    SAML_IDP_CERT: vars.SAML_IDP_CERT,
  };
  const given = Object.entries(direct).filter(([, v]) => v !== undefined);
  if (vars.SAML_IDP_METADATA) {
    return { metadata: vars.SAML_IDP_METADATA, sloUrl: vars.SAML_IDP_SLO_URL };
  }
  if (given.length === 3) {
    return {
      ssoUrl: direct.SAML_IDP_SSO_URL,
      entityId: direct.SAML_IDP_ENTITY_ID,
      cert: direct.SAML_IDP_CERT,
      sloUrl: vars.SAML_IDP_SLO_URL,
    };
  }
  // With OIDC_ISSUER, sign-in is OpenID Connect: no SAML IdP is needed (oidc-config.ts).
  if (given.length > 0 || (isProduction && !oidcIssuer)) {
    const missing = Object.keys(direct).filter((name) => !given.some(([n]) => n === name));
    const why = isProduction
      ? 'is required in production: set SAML_IDP_METADATA, or all of SAML_IDP_SSO_URL, SAML_IDP_ENTITY_ID and SAML_IDP_CERT (or, for OpenID Connect instead, OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET)'
      : 'is required with the other SAML_IDP_* settings (or set SAML_IDP_METADATA instead)';
    for (const variable of missing) issues.push({ variable, problem: why });
  }
  // Outside production, no IdP means the built-in demo IdP.
  return undefined;
}

/** One of the two seal forms, complete; a production install must give one. */
function signingFrom(vars: ParsedEnv, issues: ConfigIssue[], isProduction: boolean): SigningConfig {
  const pem = vars.SIGNING_KEY !== undefined || vars.SIGNING_CERT !== undefined;
  if (vars.SIGNING_P12 && pem) {
    issues.push({
      variable: 'SIGNING_P12',
      problem: 'cannot be combined with SIGNING_KEY/SIGNING_CERT: set one form only',
    });
  } else if (pem && !vars.SIGNING_KEY) {
    issues.push({ variable: 'SIGNING_KEY', problem: 'is required with SIGNING_CERT' });
  } else if (pem && !vars.SIGNING_CERT) {
    issues.push({ variable: 'SIGNING_CERT', problem: 'is required with SIGNING_KEY' });
  } else if (!vars.SIGNING_P12 && vars.SIGNING_P12_PASSWORD) {
    issues.push({ variable: 'SIGNING_P12', problem: 'is required with SIGNING_P12_PASSWORD' });
  } else if (!vars.SIGNING_P12 && !pem && isProduction) {
    issues.push({
      variable: 'SIGNING_P12',
      problem:
        'is required in production to seal attestations: set SIGNING_P12 and SIGNING_P12_PASSWORD, or SIGNING_KEY and SIGNING_CERT',
    });
  }
  return Object.freeze({
    p12: vars.SIGNING_P12,
    p12Password: vars.SIGNING_P12_PASSWORD,
    key: vars.SIGNING_KEY,
    cert: vars.SIGNING_CERT,
    tsaUrl: vars.TSA_URL,
    pinnedCerts: vars.SEAL_PINNED_CERTS,
  });
}

/** One PDF thread fewer than the machine has processors, up to 4: requests keep the last. */
export function defaultPdfWorkers(): number {
  return Math.min(4, Math.max(0, availableParallelism() - 1));
}

/**
 * The one place that reads the environment. Validates everything at once so the operator sees
 * every problem in one message, and returns a frozen, typed {@link AppConfig}.
 */
export function loadConfig(env: Env = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(issuesOf(parsed.error));
  }
  const vars = parsed.data;
  const isProduction = vars.NODE_ENV === 'production';
  const dataDir = resolve(vars.DATA_DIR);
  const issues: ConfigIssue[] = [];

  let sessionSecretValue = vars.SESSION_SECRET;
  let encryptionKeyValue = vars.DATA_ENCRYPTION_KEY;
  if (isProduction) {
    if (!vars.DATABASE_URL) {
      issues.push({
        variable: 'DATABASE_URL',
        problem: 'is required in production (the embedded database is for local use)',
      });
    }
  } else if (!sessionSecretValue || !encryptionKeyValue) {
    const local = loadOrCreateLocalSecrets(dataDir);
    sessionSecretValue ??= local.SESSION_SECRET;
    encryptionKeyValue ??= local.DATA_ENCRYPTION_KEY;
  }
  const idp = identityProviderFrom(vars, issues, isProduction, vars.OIDC_ISSUER);
  const publicUrl = vars.PUBLIC_URL ?? `http://localhost:${vars.PORT}`;
  const oidc = oidcFrom(vars, issues, isProduction, publicUrl);
  const signing = signingFrom(vars, issues, isProduction);
  if (isProduction && vars.DEMO_DATA === true) {
    issues.push({
      variable: 'DEMO_DATA',
      problem: 'cannot be true in production: the demo organisation is made-up people',
    });
  }
  if (isProduction && !vars.SMTP_URL) {
    issues.push({
      variable: 'SMTP_URL',
      problem:
        'is required in production, so reminders reach people: an smtp:// or smtps:// URL with credentials',
    });
  }
  if (isProduction && !vars.MAIL_FROM) {
    issues.push({
      variable: 'MAIL_FROM',
      problem:
        'is required in production: the address reminders come from, such as attest@example.com',
    });
  }
  requireSecret('SESSION_SECRET', sessionSecretValue, issues);
  requireSecret('DATA_ENCRYPTION_KEY', encryptionKeyValue, issues);
  if (vars.BACKUP_KEY && vars.BACKUP_PASSPHRASE) {
    issues.push({
      variable: 'BACKUP_PASSPHRASE',
      problem: 'cannot be combined with BACKUP_KEY: set one of the two',
    });
  }
  // Compared as keys, not as text: the same 32 bytes written with or without base64 padding.
  if (
    vars.BACKUP_KEY &&
    encryptionKeyValue &&
    Buffer.from(vars.BACKUP_KEY, 'base64').equals(Buffer.from(encryptionKeyValue, 'base64'))
  ) {
    // A backup holds data encrypted under DATA_ENCRYPTION_KEY: one leaked key must not open both.
    issues.push({ variable: 'BACKUP_KEY', problem: 'must differ from DATA_ENCRYPTION_KEY' });
  }
  if (issues.length > 0) {
    throw new ConfigError(issues);
  }

  const config: AppConfig = {
    nodeEnv: vars.NODE_ENV,
    isProduction,
    host: vars.HOST ?? (isProduction ? '0.0.0.0' : '127.0.0.1'),
    port: vars.PORT,
    publicUrl,
    dataDir,
    policiesDir: vars.POLICIES_DIR ? resolve(vars.POLICIES_DIR) : DEFAULT_POLICIES_DIR,
    database: Object.freeze({
      url: vars.DATABASE_URL,
      embeddedPort: vars.EMBEDDED_DB_PORT,
      migrateOnStart: vars.MIGRATE_ON_START ?? !isProduction,
    }),
    secrets: Object.freeze({
      sessionSecret: sessionSecretValue!,
      dataEncryptionKey: Buffer.from(encryptionKeyValue!, 'base64'),
      metricsToken: vars.METRICS_TOKEN,
      backupKey: vars.BACKUP_KEY ? Buffer.from(vars.BACKUP_KEY, 'base64') : undefined,
      backupPassphrase: vars.BACKUP_PASSPHRASE,
    }),
    logLevel: vars.LOG_LEVEL,
    organisationName: vars.ORGANISATION_NAME,
    saml: Object.freeze({
      idp,
      spEntityId: vars.SAML_SP_ENTITY_ID ?? `${publicUrl}/auth/saml/metadata`,
      acsUrl: `${publicUrl}/auth/saml/acs`,
      sloCallbackUrl: `${publicUrl}/auth/saml/slo`,
      spPrivateKey: vars.SAML_SP_PRIVATE_KEY,
      spCert: vars.SAML_SP_CERT,
      attributes: Object.freeze({
        groups: vars.SAML_GROUPS_ATTRIBUTE,
        email: vars.SAML_EMAIL_ATTRIBUTE,
        displayName: vars.SAML_NAME_ATTRIBUTE,
        department: vars.SAML_DEPARTMENT_ATTRIBUTE,
        country: vars.SAML_COUNTRY_ATTRIBUTE,
        managerEmail: vars.SAML_MANAGER_ATTRIBUTE,
        startDate: vars.SAML_START_DATE_ATTRIBUTE,
      }),
      roleMap: parseRoleMap(vars.ROLE_MAP),
    }),
    oidc,
    sessions: Object.freeze({
      idleTimeoutMs: vars.SESSION_IDLE_MINUTES * 60_000,
      absoluteTimeoutMs: vars.SESSION_ABSOLUTE_HOURS * 3_600_000,
    }),
    trustProxy: vars.TRUST_PROXY,
    authRateLimit: vars.AUTH_RATE_LIMIT,
    authIdentityRateLimit: vars.AUTH_IDENTITY_RATE_LIMIT,
    signing,
    exportStreamLimit: vars.EXPORT_STREAM_LIMIT,
    pdfWorkers: vars.PDF_WORKERS ?? (vars.NODE_ENV === 'test' ? 0 : defaultPdfWorkers()),
    demoData: !isProduction && (vars.DEMO_DATA ?? vars.NODE_ENV === 'development'),
    mail: Object.freeze({
      smtpUrl: vars.SMTP_URL,
      from: vars.MAIL_FROM ?? `Attest <attest@${new URL(publicUrl).hostname}>`,
      replyTo: vars.MAIL_REPLY_TO,
      background: (vars.NOTIFICATIONS ?? (vars.NODE_ENV === 'test' ? 'off' : 'on')) === 'on',
    }),
    retentionBackground: (vars.RETENTION ?? (vars.NODE_ENV === 'test' ? 'off' : 'on')) === 'on',
  };
  return Object.freeze(config);
}
