import { resolve } from 'node:path';
import type { z } from 'zod';
import type { AppConfig } from './app-config';
import { ConfigError, type ConfigIssue } from './config.error';
import { dataEncryptionKey, envSchema, sessionSecret } from './config.schema';
import { loadOrCreateLocalSecrets } from './local-secrets.store';

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
  requireSecret('SESSION_SECRET', sessionSecretValue, issues);
  requireSecret('DATA_ENCRYPTION_KEY', encryptionKeyValue, issues);
  if (issues.length > 0) {
    throw new ConfigError(issues);
  }

  const config: AppConfig = {
    nodeEnv: vars.NODE_ENV,
    isProduction,
    host: vars.HOST ?? (isProduction ? '0.0.0.0' : '127.0.0.1'),
    port: vars.PORT,
    publicUrl: vars.PUBLIC_URL ?? `http://localhost:${vars.PORT}`,
    dataDir,
    database: Object.freeze({
      url: vars.DATABASE_URL,
      embeddedPort: vars.EMBEDDED_DB_PORT,
      migrateOnStart: vars.MIGRATE_ON_START ?? !isProduction,
    }),
    secrets: Object.freeze({
      sessionSecret: sessionSecretValue!,
      dataEncryptionKey: Buffer.from(encryptionKeyValue!, 'base64'),
    }),
    logLevel: vars.LOG_LEVEL,
    organisationName: vars.ORGANISATION_NAME,
  };
  return Object.freeze(config);
}
