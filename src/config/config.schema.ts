import { z } from 'zod';

/** Environment variables Attest reads. The README's configuration table mirrors this list. */
export const ENV_VARIABLES = [
  'NODE_ENV',
  'HOST',
  'PORT',
  'PUBLIC_URL',
  'DATA_DIR',
  'DATABASE_URL',
  'EMBEDDED_DB_PORT',
  'MIGRATE_ON_START',
  'SESSION_SECRET',
  'DATA_ENCRYPTION_KEY',
  'LOG_LEVEL',
  'ORGANISATION_NAME',
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
  DATA_ENCRYPTION_KEY: optionalString,
  ORGANISATION_NAME: z.preprocess(
    emptyToUndefined,
    z.string().max(200, 'must be at most 200 characters').default('your organisation'),
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
