import { chmodSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { OperatorError } from '../common/errors/operator.error';
import { LOCAL_SECRETS_FILE } from '../config/local-secrets.store';

/** Group and other permission bits: anyone but the owner. */
const SHARED_BITS = 0o077;

function modeOf(path: string): number | undefined {
  try {
    return statSync(path).mode & 0o777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

const octal = (mode: number) => mode.toString(8).padStart(4, '0');

/**
 * DATA_DIR holds the embedded database, the generated secrets and the seal key: nobody but the
 * account running Attest may read them. A start over a directory or secrets file that others
 * can read stops with the command that fixes it; from here on, everything this process creates
 * (the embedded database's files included) is private to its owner.
 */
export function secureDataDir(dataDir: string): void {
  const dirMode = modeOf(dataDir);
  if (dirMode !== undefined && (dirMode & SHARED_BITS) !== 0) {
    throw new OperatorError(
      `DATA_DIR ${dataDir} can be read by other users of this machine (mode ${octal(dirMode)}). ` +
        `Run: chmod 700 '${dataDir}' and start Attest again.`,
    );
  }
  const secrets = join(dataDir, LOCAL_SECRETS_FILE);
  const secretsMode = modeOf(secrets);
  if (secretsMode !== undefined && (secretsMode & SHARED_BITS) !== 0) {
    throw new OperatorError(
      `${secrets} can be read by other users of this machine (mode ${octal(secretsMode)}). ` +
        `Run: chmod 600 '${secrets}' and start Attest again.`,
    );
  }
  // Files 0600, directories 0700, whatever the shell's umask was.
  process.umask(0o077);
}

/**
 * Makes every file under `dir` 0600 and every directory 0700. PGlite's file system sets the
 * modes PostgreSQL's in-memory image carries (0666) on what it writes, whatever the umask; it
 * runs after the embedded database starts and after it closes. In between, new files are still
 * out of others' reach: DATA_DIR itself is 0700.
 */
export function restrictTree(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      chmodSync(path, 0o700);
      restrictTree(path);
    } else if (entry.isFile()) {
      chmodSync(path, 0o600);
    }
  }
}
