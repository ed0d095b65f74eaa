import { readFileSync } from 'node:fs';
import { OperatorError } from '../common/errors/operator.error';
import type { AppConfig } from '../config/app-config';

/** What a backup is encrypted with, and where it came from (named in messages, never shown). */
export type BackupSecret =
  | { readonly kind: 'key'; readonly key: Buffer; readonly source: string }
  | { readonly kind: 'passphrase'; readonly passphrase: string; readonly source: string };

/** Every secret this run may use: a restore takes whichever kind the file's header names. */
export interface BackupCredentials {
  readonly key?: Extract<BackupSecret, { kind: 'key' }>;
  readonly passphrase?: Extract<BackupSecret, { kind: 'passphrase' }>;
}

export const MIN_PASSPHRASE_LENGTH = 16;

/** How to give a secret, for the messages that ask for one. */
export const SECRET_HELP =
  'set BACKUP_KEY (base64 of 32 random bytes: openssl rand -base64 32) or BACKUP_PASSPHRASE, or pass --passphrase-file PATH';

/** A passphrase file as an editor or `echo` writes it: one trailing line break is not part of it. */
export function readPassphraseFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new OperatorError(
      `Cannot read the passphrase file ${path}. Check the path and its permissions.`,
    );
  }
  const passphrase = text.replace(/\r?\n$/, '');
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
    throw new OperatorError(
      `The passphrase in ${path} must be at least ${MIN_PASSPHRASE_LENGTH} characters (for example four or more random words).`,
    );
  }
  return passphrase;
}

/** BACKUP_KEY or BACKUP_PASSPHRASE from the configuration; --passphrase-file over either. */
export function backupCredentials(config: AppConfig, passphraseFile?: string): BackupCredentials {
  const { backupKey, backupPassphrase } = config.secrets;
  const key = backupKey
    ? { kind: 'key' as const, key: backupKey, source: 'BACKUP_KEY' }
    : undefined;
  if (passphraseFile) {
    const passphrase = readPassphraseFile(passphraseFile);
    return { key, passphrase: { kind: 'passphrase', passphrase, source: passphraseFile } };
  }
  return {
    key,
    passphrase: backupPassphrase
      ? { kind: 'passphrase', passphrase: backupPassphrase, source: 'BACKUP_PASSPHRASE' }
      : undefined,
  };
}

/** The secret a new backup is encrypted with: a passphrase file given for this run wins. */
export function secretForNewBackup(
  credentials: BackupCredentials,
  passphraseFileGiven: boolean,
): BackupSecret {
  const secret = passphraseFileGiven
    ? credentials.passphrase
    : (credentials.key ?? credentials.passphrase);
  if (!secret) {
    throw new OperatorError(`A backup is always encrypted: ${SECRET_HELP}.`);
  }
  return secret;
}
