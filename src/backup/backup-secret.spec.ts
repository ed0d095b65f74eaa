import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../config/config.error';
import { loadConfig } from '../config/config.loader';
import { backupCredentials, readPassphraseFile, secretForNewBackup } from './backup-secret';

const dir = mkdtempSync(join(tmpdir(), 'attest-backup-secret-'));
const BASE = {
  DATA_DIR: join(dir, 'data'),
  SESSION_SECRET: 's'.repeat(40),
  DATA_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
};
const BACKUP_KEY = Buffer.alloc(32, 9).toString('base64');
const PASSPHRASE = 'four random words, at least';

function configProblems(env: Record<string, string>): string[] {
  try {
    loadConfig({ ...BASE, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => `${i.variable} ${i.problem}`);
    throw error;
  }
  return [];
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('backup secrets', () => {
  describe('configuration', () => {
    it('reads BACKUP_KEY as 32 bytes, or BACKUP_PASSPHRASE as given', () => {
      expect(loadConfig({ ...BASE, BACKUP_KEY }).secrets.backupKey).toEqual(Buffer.alloc(32, 9));
      const spaced = `  ${PASSPHRASE}  `;
      expect(loadConfig({ ...BASE, BACKUP_PASSPHRASE: spaced }).secrets.backupPassphrase).toBe(
        spaced,
      );
      expect(loadConfig(BASE).secrets).toMatchObject({
        backupKey: undefined,
        backupPassphrase: undefined,
      });
    });

    it.each([
      [
        'a key that is not base64 of 32 bytes',
        { BACKUP_KEY: 'c2hvcnQ=' },
        'BACKUP_KEY must be base64 of exactly 32 bytes',
      ],
      [
        'a short passphrase',
        { BACKUP_PASSPHRASE: 'tooshort' },
        'BACKUP_PASSPHRASE must be at least 16 characters',
      ],
      [
        'both',
        { BACKUP_KEY, BACKUP_PASSPHRASE: PASSPHRASE },
        'BACKUP_PASSPHRASE cannot be combined with BACKUP_KEY',
      ],
      [
        'the data key reused',
        { BACKUP_KEY: BASE.DATA_ENCRYPTION_KEY },
        'BACKUP_KEY must differ from DATA_ENCRYPTION_KEY',
      ],
      [
        'the data key reused without its base64 padding',
        { BACKUP_KEY: BASE.DATA_ENCRYPTION_KEY.replace(/=+$/, '') },
        'BACKUP_KEY must differ from DATA_ENCRYPTION_KEY',
      ],
    ])('refuses %s, naming the variable and never its value', (_, env, problem) => {
      const problems = configProblems(env);
      expect(problems).toEqual([expect.stringContaining(problem)]);
      for (const value of Object.values(env)) expect(problems.join()).not.toContain(value);
    });
  });

  describe(backupCredentials.name, () => {
    it('encrypts a new backup with BACKUP_KEY, or BACKUP_PASSPHRASE, or a passphrase file over either', () => {
      const withKey = loadConfig({ ...BASE, BACKUP_KEY });
      expect(secretForNewBackup(backupCredentials(withKey), false)).toMatchObject({
        kind: 'key',
        source: 'BACKUP_KEY',
      });
      const withPassphrase = loadConfig({ ...BASE, BACKUP_PASSPHRASE: PASSPHRASE });
      expect(secretForNewBackup(backupCredentials(withPassphrase), false)).toEqual({
        kind: 'passphrase',
        passphrase: PASSPHRASE,
        source: 'BACKUP_PASSPHRASE',
      });
      const path = file('passphrase.txt', `${PASSPHRASE}!\n`);
      const both = backupCredentials(withKey, path);
      expect(secretForNewBackup(both, true)).toEqual({
        kind: 'passphrase',
        passphrase: `${PASSPHRASE}!`,
        source: path,
      });
      // A restore may need either: the file's header says which.
      expect(both.key?.source).toBe('BACKUP_KEY');
    });

    it('asks for a key or a passphrase, naming both ways, when none is set', () => {
      expect(() => secretForNewBackup(backupCredentials(loadConfig(BASE)), false)).toThrow(
        'A backup is always encrypted: set BACKUP_KEY (base64 of 32 random bytes: openssl rand -base64 32) or BACKUP_PASSPHRASE, or pass --passphrase-file PATH.',
      );
    });
  });

  describe(readPassphraseFile.name, () => {
    it('drops one trailing line break, and keeps everything else', () => {
      expect(readPassphraseFile(file('crlf.txt', ` ${PASSPHRASE} \r\n`))).toBe(` ${PASSPHRASE} `);
      expect(readPassphraseFile(file('two.txt', `${PASSPHRASE}\n\n`))).toBe(`${PASSPHRASE}\n`);
    });

    it('refuses a short passphrase and an unreadable file, without showing the passphrase', () => {
      expect(() => readPassphraseFile(file('short.txt', 'hunter2\n'))).toThrow(
        /short\.txt must be at least 16 characters/,
      );
      expect(() => readPassphraseFile(join(dir, 'missing.txt'))).toThrow(
        /^Cannot read the passphrase file .*missing\.txt\. Check the path and its permissions\.$/,
      );
    });
  });
});
