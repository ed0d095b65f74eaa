import { BackupUnreadable } from '../backup/backup.errors';
import { type RestoreOptions, type RestoreResult, restoreBackup } from '../backup/restore.service';
import type { AppConfig } from '../config/app-config';
import { type CliIo, EXIT_FAILED, EXIT_OK } from './cli-io';

function printCounts(result: RestoreResult, io: CliIo): void {
  const width = Math.max(...Object.keys(result.manifest.counts).map((t) => t.length), 5);
  io.out(`  ${'table'.padEnd(width)}  ${'backup'.padStart(9)}  ${'restored'.padStart(9)}`);
  for (const [table, count] of Object.entries(result.manifest.counts)) {
    const restored = result.restoredCounts[table];
    const mark = restored === count ? '' : '  differs';
    io.out(
      `  ${table.padEnd(width)}  ${String(count).padStart(9)}  ${String(restored ?? '-').padStart(9)}${mark}`,
    );
  }
}

function printKeyFiles(result: RestoreResult, io: CliIo): void {
  if (result.keyFiles.length === 0) {
    if (result.manifest.keyFiles.length > 0) {
      io.out(
        `  The backup also holds ${result.manifest.keyFiles.length} DATA_DIR key file(s), not restored: restore with --with-keys to have them too.`,
      );
    }
    return;
  }
  const described = result.keyFiles.map((k) =>
    k.movedAsideTo ? `${k.file} (the one there kept as ${k.movedAsideTo})` : k.file,
  );
  io.out(`  Key files restored into DATA_DIR: ${described.join(', ')}.`);
}

/**
 * `attest restore FILE [--force] [--with-keys] [--passphrase-file PATH]`: into an empty database
 * (or over one, with --force), only once the whole file has authenticated. Prints the backup's
 * counts beside the restored database's; exit 1 if they differ.
 */
export async function runRestore(
  config: AppConfig,
  options: RestoreOptions,
  io: CliIo,
): Promise<number> {
  let result: RestoreResult;
  try {
    result = await restoreBackup(config, options, (line) => io.err(line));
  } catch (error) {
    if (!(error instanceof BackupUnreadable)) throw error;
    io.err(`Refused ${options.file}: ${error.message} Nothing was restored.`);
    return EXIT_FAILED;
  }
  const { manifest } = result;
  io.out(
    `Restored the backup made ${manifest.createdAt} by Attest ${manifest.attestVersion} (SHA-256 ${result.sha256}) in ${result.seconds.toFixed(1)} s.`,
  );
  if (result.movedAside) io.out(`  The database that was there is kept in ${result.movedAside}.`);
  printCounts(result, io);
  printKeyFiles(result, io);
  if (result.migrationsBehind > 0) {
    io.out(
      `  Its schema is ${result.migrationsBehind} migration(s) behind this Attest: run \`attest migrate\` (or start with MIGRATE_ON_START=true).`,
    );
  }
  if (!result.countsMatch) {
    io.err(
      'The restored database does not hold the rows the backup counted (see "differs" above). Do not use it: restore again, into an empty database.',
    );
    return EXIT_FAILED;
  }
  io.out(
    '  Every count matches. Next: `attest audit verify`; encrypted values need the DATA_ENCRYPTION_KEY the backup was made under.',
  );
  return EXIT_OK;
}
