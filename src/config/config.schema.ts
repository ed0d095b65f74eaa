import { isIP } from 'node:net';
import { z } from 'zod';

/** Environment variables Attest reads. The README's configuration table mirrors this list. */
export const ENV_VARIABLES = [
  'NODE_ENV',
  'HOST',
  'PORT',
  'PUBLIC_URL',
  'DATA_DIR',
  'POLICIES_DIR',
  'DATABASE_URL',
  'EMBEDDED_DB_PORT',
  'MIGRATE_ON_START',
  'SESSION_SECRET',
  'METRICS_TOKEN',
  'DATA_ENCRYPTION_KEY',
  'BACKUP_KEY',
  'BACKUP_PASSPHRASE',
  'LOG_LEVEL',
  'ORGANISATION_NAME',
  'SAML_IDP_METADATA',
  'SAML_IDP_SSO_URL',
  'SAML_IDP_ENTITY_ID',
  'SAML_IDP_CERT',
  'SAML_IDP_SLO_URL',
  'SAML_SP_ENTITY_ID',
  'SAML_SP_PRIVATE_KEY',
  'SAML_SP_CERT',
  'SAML_GROUPS_ATTRIBUTE',
  'SAML_EMAIL_ATTRIBUTE',
  'SAML_NAME_ATTRIBUTE',
  'SAML_DEPARTMENT_ATTRIBUTE',
  'SAML_COUNTRY_ATTRIBUTE',
  'SAML_MANAGER_ATTRIBUTE',
  'SAML_START_DATE_ATTRIBUTE',
  'OIDC_ISSUER',
  'OIDC_CLIENT_ID',
  'OIDC_CLIENT_SECRET',
  'OIDC_CLIENT_AUTH_METHOD',
  'OIDC_CLIENT_PRIVATE_KEY_FILE',
  'OIDC_CLIENT_KEY_ID',
  'OIDC_SCOPES',
  'OIDC_GROUPS_CLAIM',
  'OIDC_EMAIL_CLAIM',
  'OIDC_NAME_CLAIM',
  'OIDC_REQUIRE_EMAIL_VERIFIED',
  'ROLE_MAP',
  'SESSION_IDLE_MINUTES',
  'SESSION_ABSOLUTE_HOURS',
  'AUTH_RATE_LIMIT',
  'AUTH_IDENTITY_RATE_LIMIT',
  'SIGNING_P12',
  'SIGNING_P12_PASSWORD',
  'SIGNING_KEY',
  'SIGNING_CERT',
  'TSA_URL',
  'SEAL_PINNED_CERTS',
  'EXPORT_STREAM_LIMIT',
  'PDF_WORKERS',
  'TRUST_PROXY',
  'DEMO_DATA',
  'SMTP_URL',
  'MAIL_FROM',
  'MAIL_REPLY_TO',
  'NOTIFICATIONS',
  'RETENTION',
] as const;

export type EnvVariable = (typeof ENV_VARIABLES)[number];

const emptyToUndefined = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const optionalString = z.preprocess(emptyToUndefined, z.string().optional());

const port = (fallback: number) =>
  z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ message: 'must be a whole number' })
      .int('must be a whole number')
      .min(0, 'must be between 0 and 65535')
      .max(65535, 'must be between 0 and 65535')
      .default(fallback),
  );

const optionalBoolean = z.preprocess(
  emptyToUndefined,
  z
    .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true' || v === '1')),
);

/** Secrets are checked for shape only; messages never quote the value. */
export const sessionSecret = z
  .string({ message: 'is required' })
  .min(32, 'must be at least 32 characters');

export const dataEncryptionKey = z
  .string({ message: 'is required (base64 of 32 random bytes)' })
  .refine((v) => /^[A-Za-z0-9+/]+={0,2}$/.test(v) && Buffer.from(v, 'base64').length === 32, {
    message: 'must be base64 of exactly 32 bytes',
  });

const positiveInt = (fallback: number, max: number) =>
  z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ message: 'must be a whole number' })
      .int('must be a whole number')
      .min(1, `must be between 1 and ${max}`)
      .max(max, `must be between 1 and ${max}`)
      .default(fallback),
  );

const attributeName = (fallback: string) =>
  z.preprocess(
    emptyToUndefined,
    z
      .string()
      .max(256, 'must be at most 256 characters')
      .regex(/^[^\s<>"'&]+$/, 'must be an attribute name without spaces or markup')
      .default(fallback),
  );

const optionalUrl = z.preprocess(
  emptyToUndefined,
  z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).optional(),
);

/** The names Express's `trust proxy` (proxy-addr) knows for address ranges. */
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** An IPv4 or IPv6 address, optionally with a CIDR prefix length that fits it. */
function isAddressOrCidr(value: string): boolean {
  if (PROXY_RANGE_NAMES.has(value)) return true;
  const [address, prefix, ...rest] = value.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (version === 4 ? 32 : 128);
}

/**
 * Which proxies' X-Forwarded-For to believe: a hop count, or the proxies' addresses and
 * ranges. Never `true`: that believes whatever the client wrote in the header.
 */
const trustProxy = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .max(2048, 'must be at most 2048 characters')
    .optional()
    .transform((value, ctx): number | readonly string[] | undefined => {
      if (value === undefined) return undefined;
      const text = value.trim();
      if (/^\d+$/.test(text)) {
        const hops = Number(text);
        if (hops >= 1 && hops <= 10) return hops;
      } else {
        const entries = text.split(',').map((entry) => entry.trim());
        if (entries.every((entry) => isAddressOrCidr(entry))) return Object.freeze(entries);
      }
      ctx.addIssue({
        code: 'custom',
        message:
          'must be a number of proxy hops from 1 to 10, or a comma-separated list of proxy addresses or CIDR ranges (e.g. 10.0.0.0/8,fd00::/8)',
      });
      return z.NEVER;
    }),
);

/**
 * The SMTP server, credentials included: smtp:// (STARTTLS when offered) or smtps:// (TLS from
 * the start). A secret: no message quotes it.
 */
const smtpUrl = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .max(2048, 'must be at most 2048 characters')
    .optional()
    .refine(
      (value) => {
        if (value === undefined) return true;
        try {
          const url = new URL(value);
          return (url.protocol === 'smtp:' || url.protocol === 'smtps:') && url.hostname !== '';
        } catch {
          return false;
        }
      },
      {
        message:
          'must be an smtp:// or smtps:// URL with a host, such as smtps://user:password@mail.example.com:465',
      },
    ),
);

/** `attest@example.com` or `Attest <attest@example.com>`; no line breaks (header injection). */
const mailAddress = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .max(400, 'must be at most 400 characters')
    .regex(
      /^(?:[^<>\r\n",;]{1,200} <[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+)$/,
      'must be an address such as attest@example.com or "Attest <attest@example.com>"',
    )
    .optional(),
);

export const envSchema = z.object({
  NODE_ENV: z.preprocess(
    emptyToUndefined,
    z
      .enum(['development', 'test', 'production'], {
        message: 'must be development, test or production',
      })
      .default('development'),
  ),
  HOST: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9.:[\]-]+$/, 'must be a host name or IP address')
      .optional(),
  ),
  PORT: port(3000),
  PUBLIC_URL: z.preprocess(
    emptyToUndefined,
    z
      .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
      .optional()
      .transform((v) => v?.replace(/\/+$/, '')),
  ),
  DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('./data')),
  POLICIES_DIR: optionalString,
  DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
  ),
  EMBEDDED_DB_PORT: port(0),
  MIGRATE_ON_START: optionalBoolean,
  SESSION_SECRET: optionalString,
  // A scrape token is a password: long and random, like the session secret.
  METRICS_TOKEN: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .min(32, 'must be at least 32 characters (for example: openssl rand -hex 32)')
      .max(256, 'must be at most 256 characters')
      .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
      .optional(),
  ),
  DATA_ENCRYPTION_KEY: optionalString,
  // Read only by `attest backup` and `attest restore`; checked here so a typo shows at once.
  BACKUP_KEY: z.preprocess(emptyToUndefined, dataEncryptionKey.optional()),
  // Not trimmed: spaces may be part of a passphrase.
  BACKUP_PASSPHRASE: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z
      .string()
      .min(16, 'must be at least 16 characters (for example four or more random words)')
      .max(1024, 'must be at most 1024 characters')
      .optional(),
  ),
  ORGANISATION_NAME: z.preprocess(
    emptyToUndefined,
    z.string().max(200, 'must be at most 200 characters').default('your organisation'),
  ),
  SAML_IDP_METADATA: optionalString,
  SAML_IDP_SSO_URL: optionalUrl,
  SAML_IDP_ENTITY_ID: z.preprocess(emptyToUndefined, z.string().max(1024).optional()),
  SAML_IDP_CERT: optionalString,
  SAML_IDP_SLO_URL: optionalUrl,
  SAML_SP_ENTITY_ID: z.preprocess(emptyToUndefined, z.string().max(1024).optional()),
  SAML_SP_PRIVATE_KEY: optionalString,
  SAML_SP_CERT: optionalString,
  SAML_GROUPS_ATTRIBUTE: attributeName('groups'),
  SAML_EMAIL_ATTRIBUTE: attributeName('email'),
  SAML_NAME_ATTRIBUTE: attributeName('displayName'),
  SAML_DEPARTMENT_ATTRIBUTE: attributeName('department'),
  SAML_COUNTRY_ATTRIBUTE: attributeName('country'),
  SAML_MANAGER_ATTRIBUTE: attributeName('managerEmail'),
  SAML_START_DATE_ATTRIBUTE: attributeName('startDate'),
  // OpenID Connect (an alternative to SAML; see oidc-config.ts for how the two exclude each other).
  OIDC_ISSUER: z.preprocess(
    emptyToUndefined,
    z
      .url({
        protocol: /^https?$/,
        message: 'must be the issuer URL, such as https://login.example.com',
      })
      .max(1024, 'must be at most 1024 characters')
      .optional(),
  ),
  OIDC_CLIENT_ID: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .max(512, 'must be at most 512 characters')
      .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
      .optional(),
  ),
  // A secret: checked for shape only, never quoted in a message.
  OIDC_CLIENT_SECRET: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .min(16, 'must be at least 16 characters')
      .max(1024, 'must be at most 1024 characters')
      .optional(),
  ),
  OIDC_CLIENT_AUTH_METHOD: z.preprocess(
    emptyToUndefined,
    z
      .enum(['client_secret_basic', 'client_secret_post', 'private_key_jwt'], {
        message: 'must be client_secret_basic, client_secret_post or private_key_jwt',
      })
      .optional(),
  ),
  OIDC_CLIENT_PRIVATE_KEY_FILE: optionalString,
  OIDC_CLIENT_KEY_ID: z.preprocess(
    emptyToUndefined,
    z.string().max(256, 'must be at most 256 characters').optional(),
  ),
  OIDC_SCOPES: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .max(1024, 'must be at most 1024 characters')
      .regex(
        /^[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*$/,
        'must be scope names separated by single spaces (RFC 6749 §3.3)',
      )
      .refine((v) => v.split(' ').includes('openid'), { message: 'must include openid' })
      .default('openid email profile'),
  ),
  OIDC_GROUPS_CLAIM: attributeName('groups'),
  OIDC_EMAIL_CLAIM: attributeName('email'),
  OIDC_NAME_CLAIM: attributeName('name'),
  OIDC_REQUIRE_EMAIL_VERIFIED: optionalBoolean,
  ROLE_MAP: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(
        /^\s*(admin|hr|auditor)\s*:\s*[^,:\s]+(\s*,\s*(admin|hr|auditor)\s*:\s*[^,:\s]+)*\s*$/,
        'must be a comma-separated list of role:group pairs, roles being admin, hr or auditor',
      )
      .default('admin:attest-admins,hr:attest-hr,auditor:attest-auditors'),
  ),
  SESSION_IDLE_MINUTES: positiveInt(30, 24 * 60),
  SESSION_ABSOLUTE_HOURS: positiveInt(12, 24 * 30),
  AUTH_RATE_LIMIT: positiveInt(30, 1_000_000),
  AUTH_IDENTITY_RATE_LIMIT: positiveInt(10, 1_000_000),
  SIGNING_P12: optionalString,
  // Not trimmed to undefined: an empty passphrase is a valid PKCS#12 passphrase.
  SIGNING_P12_PASSWORD: z.string().optional(),
  SIGNING_KEY: optionalString,
  SIGNING_CERT: optionalString,
  TSA_URL: optionalUrl,
  SEAL_PINNED_CERTS: optionalString,
  EXPORT_STREAM_LIMIT: positiveInt(300, 100_000),
  PDF_WORKERS: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ message: 'must be a whole number' })
      .int('must be a whole number')
      .min(0, 'must be between 0 and 16')
      .max(16, 'must be between 0 and 16')
      .optional(),
  ),
  TRUST_PROXY: trustProxy,
  DEMO_DATA: optionalBoolean,
  SMTP_URL: smtpUrl,
  MAIL_FROM: mailAddress,
  MAIL_REPLY_TO: mailAddress,
  NOTIFICATIONS: z.preprocess(
    emptyToUndefined,
    z.enum(['on', 'off'], { message: 'must be on or off' }).optional(),
  ),
  RETENTION: z.preprocess(
    emptyToUndefined,
    z.enum(['on', 'off'], { message: 'must be on or off' }).optional(),
  ),
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        message: 'must be one of fatal, error, warn, info, debug, trace, silent',
      })
      .default('info'),
  ),
});

export type ParsedEnv = z.infer<typeof envSchema>;
