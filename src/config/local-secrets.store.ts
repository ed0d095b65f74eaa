import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Secrets generated for a local (non-production) install, kept in DATA_DIR and reused. */
export interface LocalSecrets {
  SESSION_SECRET: string;
  DATA_ENCRYPTION_KEY: string;
}

export const LOCAL_SECRETS_FILE = 'secrets.json';

function generate(): LocalSecrets {
  return {
    SESSION_SECRET: randomBytes(48).toString('base64url'),
    DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  };
}

/**
 * Reads DATA_DIR/secrets.json, creating it (mode 0600) on first use. Only missing keys are
 * generated, so an existing secret is never replaced: data encrypted under it stays readable.
 */
export function loadOrCreateLocalSecrets(dataDir: string): LocalSecrets {
  const file = join(dataDir, LOCAL_SECRETS_FILE);
  let stored: Partial<LocalSecrets> = {};
  try {
    stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<LocalSecrets>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new Error(`${file} exists but cannot be read as JSON; fix or remove it`, {
        cause: error,
      });
    }
  }
  const fresh = generate();
  const secrets: LocalSecrets = {
    SESSION_SECRET: stored.SESSION_SECRET ?? fresh.SESSION_SECRET,
    DATA_ENCRYPTION_KEY: stored.DATA_ENCRYPTION_KEY ?? fresh.DATA_ENCRYPTION_KEY,
  };
  if (
    stored.SESSION_SECRET !== secrets.SESSION_SECRET ||
    stored.DATA_ENCRYPTION_KEY !== secrets.DATA_ENCRYPTION_KEY
  ) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writeFileSync(file, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600, flag: 'w' });
    chmodSync(file, 0o600);
  }
  return secrets;
}
