import { type BackupOptions, writeBackup } from '../backup/backup.service';
import { mebibytes } from '../backup/byte-progress';
import type { AppConfig } from '../config/app-config';
import { type CliIo, EXIT_OK } from './cli-io';

const DATABASE_NAMES = { postgresql: 'PostgreSQL database', embedded: 'embedded database' };

/**
 * `attest backup --out FILE [--with-keys] [--passphrase-file PATH]`: the whole database (and,
 * when asked, DATA_DIR's key files) in one encrypted, authenticated file. Progress goes to
 * stderr; the summary, with the file's SHA-256 as the audit log records it, to stdout.
 */
export async function runBackup(
  config: AppConfig,
  options: BackupOptions,
  io: CliIo,
): Promise<number> {
  const result = await writeBackup(config, options, (line) => io.err(line));
  const { manifest } = result;
  const counts = manifest.counts;
  io.out(
    `Backed up the ${DATABASE_NAMES[manifest.database]} to ${result.file} in ${result.seconds.toFixed(1)} s: ${result.bytes} bytes (${mebibytes(result.bytes)}), SHA-256 ${result.sha256}.`,
  );
  io.out(
    `  ${counts.person} people, ${counts.signature} signatures, ${counts.attestation} sealed attestations, ${counts.audit_event} audit events; schema at ${manifest.lastMigration}.`,
  );
  io.out(
    manifest.keyFiles.length > 0
      ? `  With ${manifest.keyFiles.length} key file(s) from DATA_DIR: ${manifest.keyFiles.join(', ')}.`
      : '  Without DATA_DIR key files.',
  );
  io.out(
    `  Encrypted with ${result.secret.source}: keep it apart from the backup; without it the file cannot be restored.`,
  );
  return EXIT_OK;
}
