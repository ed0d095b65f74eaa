import { BackupUnreadable } from '../backup/backup.errors';
import type { BackupManifest } from '../backup/backup-manifest';
import { restoreBackup, type RestoreResult } from '../backup/restore.service';
import type { AppConfig } from '../config/app-config';
import { runCli } from './attest.cli';
import { type CliIo, EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './cli-io';
import { runRestore } from './restore.command';

jest.mock('../backup/restore.service', () => ({ restoreBackup: jest.fn() }));

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}

const manifest: BackupManifest = {
  format: 'attest-backup',
  formatVersion: 1,
  createdAt: '2026-12-07T08:00:00.000Z',
  database: 'postgresql',
  attestVersion: '0.1.0',
  lastMigration: 'Migration20261207065922_notifications',
  counts: { person: 20, attestation: 4, audit_event: 30 },
  keyFiles: [],
};

const result = (restoredCounts: Record<string, number>): RestoreResult => ({
  file: '/backups/attest.backup',
  manifest,
  sha256: 'ab'.repeat(32),
  bytes: 1234,
  restoredCounts,
  countsMatch: Object.entries(manifest.counts).every(([t, n]) => restoredCounts[t] === n),
  migrationsBehind: 0,
  keyFiles: [],
  seconds: 1.5,
});

describe(runRestore.name, () => {
  const config = {} as AppConfig;
  const options = { file: 'attest.backup', force: false, withKeys: false };
  const sut = (io: CliIo) => runRestore(config, options, io);

  it('prints the backup’s counts beside the restored ones and exits 0 when they match', async () => {
    jest
      .mocked(restoreBackup)
      .mockResolvedValue(result({ person: 20, attestation: 4, audit_event: 30 }));
    const io = capture();
    expect(await sut(io)).toBe(EXIT_OK);
    expect(io.stdout.slice(1, 5)).toEqual([
      '  table           backup   restored',
      '  person              20         20',
      '  attestation          4          4',
      '  audit_event         30         30',
    ]);
    expect(io.stdout.at(-1)).toMatch(/Every count matches/);
  });

  it('marks a count that differs and exits 1', async () => {
    jest
      .mocked(restoreBackup)
      .mockResolvedValue(result({ person: 20, attestation: 3, audit_event: 30 }));
    const io = capture();
    expect(await sut(io)).toBe(EXIT_FAILED);
    expect(io.stdout).toContain('  attestation          4          3  differs');
    expect(io.stderr.at(-1)).toMatch(
      /^The restored database does not hold the rows the backup counted/,
    );
  });

  it('says a refused file restored nothing', async () => {
    jest
      .mocked(restoreBackup)
      .mockRejectedValue(
        new BackupUnreadable('truncated', 'The backup is truncated: it ends after chunk 2.'),
      );
    const io = capture();
    expect(await sut(io)).toBe(EXIT_FAILED);
    expect(io.stderr).toEqual([
      'Refused attest.backup: The backup is truncated: it ends after chunk 2. Nothing was restored.',
    ]);
  });

  it.each([
    ['backup without --out', ['backup']],
    ['restore without a file', ['restore']],
    ['restore with an unknown flag', ['restore', 'x.backup', '--overwrite']],
  ])('exits 2 for %s, before reading configuration', async (_case, argv) => {
    const neverLoaded = jest.fn<AppConfig, []>(() => {
      throw new Error('configuration must not be read for usage errors');
    });
    expect(await runCli(argv, neverLoaded, capture())).toBe(EXIT_USAGE);
    expect(neverLoaded).not.toHaveBeenCalled();
  });
});
