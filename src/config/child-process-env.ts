import { ENV_VARIABLES } from './config.schema';

/**
 * The environment for a program Attest runs (pg_dump, pg_restore): this process's own, so
 * PATH, HOME, locale and libpq's PG* settings reach it, less every Attest setting (the secrets
 * among them), plus `extra`. Kept here because src/config is the one place that reads
 * process.env.
 */
export function childProcessEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ENV_VARIABLES) delete env[name];
  return { ...env, ...extra };
}
