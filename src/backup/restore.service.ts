import {
  accessSync,
  constants,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { OperatorError } from '../common/errors/operator.error';
import type { AppConfig } from '../config/app-config';
import { PidLock } from '../database/data-dir.lock';
import { secureDataDir } from '../database/data-dir.permissions';
import { publicTableCount, recordAudit, withBackupDatabase } from './backup-database';
import {
  type BackupDatabaseKind,
  type BackupManifest,
  checkMigrationKnown,
  countEvidence,
} from './backup-manifest';
import { type OpenedBackup, openBackup } from './backup-reader';
import { backupCredentials } from './backup-secret';
import { RestoreRefused } from './backup.errors';
import { type KeyFileOutcome, writeKeyFiles } from './data-dir-key-files';
import { EMBEDDED_DIR, EmbeddedDumpAdapter } from './embedded-dump.adapter';
import { PgDumpAdapter } from './pg-dump.adapter';

export interface RestoreOptions {
  readonly file: string;
  /** Replace a database that is not empty (the embedded one is moved aside, not deleted). */
  readonly force: boolean;
  /** Also write the backup's DATA_DIR key files. */
  readonly withKeys: boolean;
  readonly passphraseFile?: string;
}

export interface RestoreResult {
  readonly file: string;
  readonly manifest: BackupManifest;
  readonly sha256: string;
  readonly bytes: number;
  /** Rows per evidence table after the restore, before its own audit event. */
  readonly restoredCounts: Readonly<Record<string, number>>;
  readonly countsMatch: boolean;
  /** Migrations this Attest has that the backup's schema lacks. */
  readonly migrationsBehind: number;
  readonly keyFiles: readonly KeyFileOutcome[];
  /** Where the embedded database that was replaced (--force) now is. */
  readonly movedAside?: string;
  readonly seconds: number;
}

export interface RestoreAdapters {
  readonly pgDump: PgDumpAdapter;
  readonly embeddedDump: EmbeddedDumpAdapter;
}

/** 2026-12-07T08:45:00.123Z → 20261207T084500Z, for names beside the data. */
const stampOf = (date: Date) =>
  date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');

const TIER_NAMES: Record<BackupDatabaseKind, string> = {
  postgresql: 'a PostgreSQL database (DATABASE_URL)',
  embedded: 'the embedded database (no DATABASE_URL)',
};

/**
 * `attest restore`: checks the target is empty (or `force`), decrypts and authenticates the
 * whole file into a private temporary directory, and only then restores the database (and the
 * key files, when asked). A file that is not whole and unchanged changes nothing. The restored
 * counts are compared with the manifest's, and the restore is appended to the restored audit
 * log, whose chain it continues.
 */
export async function restoreBackup(
  config: AppConfig,
  options: RestoreOptions,
  progress: (line: string) => void,
  adapters: RestoreAdapters = {
    pgDump: new PgDumpAdapter(),
    embeddedDump: new EmbeddedDumpAdapter(),
  },
): Promise<RestoreResult> {
  const started = new Date();
  const file = resolve(options.file);
  if (!isReadableFile(file)) {
    throw new OperatorError(`Cannot read ${file}. Check the path and its permissions.`);
  }
  const credentials = backupCredentials(config, options.passphraseFile);
  const target: BackupDatabaseKind = config.database.url ? 'postgresql' : 'embedded';
  const expect = (manifest: BackupManifest) => {
    if (manifest.database !== target) {
      throw new RestoreRefused(
        `This backup is of ${TIER_NAMES[manifest.database]}, and this Attest is configured for ${TIER_NAMES[target]}: restore it into the same kind. Nothing was changed.`,
      );
    }
    if (options.withKeys && manifest.keyFiles.length === 0) {
      throw new RestoreRefused(
        'This backup holds no key files (it was made without --with-keys): run the restore without --with-keys. Nothing was changed.',
      );
    }
    checkMigrationKnown(manifest);
  };

  // The embedded database is locked for the whole restore, so the app cannot start on it.
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  secureDataDir(config.dataDir);
  const lock = target === 'embedded' ? new PidLock(join(config.dataDir, 'pg.lock')) : undefined;
  lock?.acquire();
  const tempDir = mkdtempSync(join(tmpdir(), 'attest-restore-'));
  try {
    const nonEmpty = await targetHoldsData(config, target, adapters);
    if (nonEmpty && !options.force)
      throw new RestoreRefused(nonEmptyMessage(config, target, nonEmpty));
    progress(`  checking ${file}…`);
    const opened = await openBackup(file, credentials, tempDir, expect, progress);
    progress(
      `  the whole file authenticated; restoring the ${target === 'embedded' ? 'embedded' : 'PostgreSQL'} database…`,
    );
    const stamp = stampOf(started);
    let movedAside: string | undefined;
    if (target === 'postgresql') {
      await adapters.pgDump.restore(config.database.url!, opened.dumpFile, {
        clean: nonEmpty !== false,
      });
    } else {
      movedAside = nonEmpty
        ? join(config.dataDir, `${EMBEDDED_DIR}.before-restore-${stamp}`)
        : undefined;
      await loadEmbedded(config.dataDir, opened.dumpFile, movedAside, adapters.embeddedDump);
    }
    const keyFiles = options.withKeys ? writeKeyFiles(config.dataDir, opened.keyFiles, stamp) : [];
    return await afterRestore(config, file, opened, {
      keyFiles,
      movedAside,
      started,
      force: options.force,
    });
  } finally {
    rmSync(tempDir, { recursive: true, force: true });
    lock?.release();
  }
}

function isReadableFile(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Loads the embedded database, the one there first moved aside (`--force`). If the load fails,
 * what it wrote is removed and the one moved aside is put back: the restore changes nothing.
 */
async function loadEmbedded(
  dataDir: string,
  tarball: string,
  movedAside: string | undefined,
  embeddedDump: EmbeddedDumpAdapter,
): Promise<void> {
  const live = join(dataDir, EMBEDDED_DIR);
  if (movedAside) renameSync(live, movedAside);
  try {
    await embeddedDump.load(dataDir, tarball);
  } catch (error) {
    rmSync(live, { recursive: true, force: true });
    if (movedAside) renameSync(movedAside, live);
    throw error;
  }
}

/** False for an empty target; else what it holds, for the refusal. */
async function targetHoldsData(
  config: AppConfig,
  target: BackupDatabaseKind,
  adapters: RestoreAdapters,
): Promise<false | number> {
  if (target === 'embedded') return adapters.embeddedDump.holdsDatabase(config.dataDir) ? 1 : false;
  const tables = await withBackupDatabase(config, (orm) => publicTableCount(orm.em.fork()));
  return tables > 0 ? tables : false;
}

function nonEmptyMessage(config: AppConfig, target: BackupDatabaseKind, tables: number): string {
  return target === 'embedded'
    ? `${join(config.dataDir, EMBEDDED_DIR)} already holds a database. Restore into an empty DATA_DIR, or pass --force to move that database aside (to ${EMBEDDED_DIR}.before-restore-<time>) and restore in its place. Nothing was changed.`
    : `The database at DATABASE_URL is not empty (${tables} table(s) in its public schema). Restore into a new, empty database, or pass --force to drop what the backup holds and restore over it. Nothing was changed.`;
}

async function afterRestore(
  config: AppConfig,
  file: string,
  opened: OpenedBackup,
  done: { keyFiles: KeyFileOutcome[]; movedAside?: string; started: Date; force: boolean },
): Promise<RestoreResult> {
  const { manifest } = opened;
  return withBackupDatabase(config, async (orm) => {
    const restoredCounts = await countEvidence(orm.em.fork(), Object.keys(manifest.counts));
    const countsMatch = Object.entries(manifest.counts).every(
      ([table, count]) => restoredCounts[table] === count,
    );
    await recordAudit(orm, {
      action: 'system.restored',
      details: {
        database: manifest.database,
        backupCreatedAt: manifest.createdAt,
        backupAttestVersion: manifest.attestVersion,
        sha256: opened.sha256,
        forced: done.force,
        keyFiles: done.keyFiles.length,
        countsMatch,
      },
    });
    return {
      file,
      manifest,
      sha256: opened.sha256,
      bytes: opened.bytes,
      restoredCounts,
      countsMatch,
      migrationsBehind: checkMigrationKnown(manifest).behind,
      keyFiles: done.keyFiles,
      movedAside: done.movedAside,
      seconds: (Date.now() - done.started.getTime()) / 1000,
    };
  });
}
