import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LOCAL_SECRETS_FILE } from '../config/local-secrets.store';

/**
 * The DATA_DIR files that hold keys, relative to DATA_DIR: the generated local secrets
 * (src/config/local-secrets.store.ts), the development seal (DATA_DIR/seal, see
 * src/attestations/seal/seal-key.sources.ts) and the SAML SP key pair (src/auth/saml/sp-keys.ts).
 * A restore writes no other path, whatever a backup names.
 */
export const DATA_DIR_KEY_FILES = [
  LOCAL_SECRETS_FILE,
  'seal/key.pem',
  'seal/cert.pem',
  'saml-sp/key.pem',
  'saml-sp/cert.pem',
] as const;

export const KEY_ENTRY_PREFIX = 'data-dir/';
export const MAX_KEY_FILE_BYTES = 1024 * 1024;

/** The key files present in DATA_DIR. */
export function presentKeyFiles(dataDir: string): string[] {
  return DATA_DIR_KEY_FILES.filter((file) => existsSync(join(dataDir, file)));
}

/** The DATA_DIR file a backup entry restores, or undefined if it names none of ours. */
export function keyFileOfEntry(entryName: string): string | undefined {
  const file = entryName.slice(KEY_ENTRY_PREFIX.length);
  return entryName.startsWith(KEY_ENTRY_PREFIX) &&
    (DATA_DIR_KEY_FILES as readonly string[]).includes(file)
    ? file
    : undefined;
}

export interface KeyFileOutcome {
  readonly file: string;
  /** Where a different file that was in the way now is; unset when none was, or it was equal. */
  readonly movedAsideTo?: string;
}

/**
 * Writes key files (mode 0600, directories 0700). A different file already there (a secret
 * generated on this machine before the restore) is renamed aside, never deleted.
 */
export function writeKeyFiles(
  dataDir: string,
  files: ReadonlyMap<string, Buffer>,
  stamp: string,
): KeyFileOutcome[] {
  return [...files].map(([file, bytes]) => {
    const path = join(dataDir, file);
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    let movedAsideTo: string | undefined;
    if (existsSync(path)) {
      if (readFileSync(path).equals(bytes)) return { file };
      movedAsideTo = `${file}.before-restore-${stamp}`;
      renameSync(path, join(dataDir, movedAsideTo));
    }
    writeFileSync(path, bytes, { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
    return { file, movedAsideTo };
  });
}
