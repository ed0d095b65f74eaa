import type { AppConfig } from '../config/app-config';
import { migrate, pendingMigrations } from '../database/migration.runner';
import { withOrm } from './cli-context';
import { type CliIo, EXIT_FAILED, EXIT_OK } from './cli-io';

export interface MigrateOptions {
  /** Only report pending migrations; exit 1 when there are any. */
  check?: boolean;
}

/** `attest migrate`: applies the committed migrations to the configured database. */
export async function runMigrate(
  config: AppConfig,
  options: MigrateOptions,
  io: CliIo,
): Promise<number> {
  return withOrm(config, async (orm) => {
    if (options.check) {
      const pending = await pendingMigrations(orm);
      if (pending.length === 0) {
        io.out('The database schema is up to date.');
        return EXIT_OK;
      }
      io.out(`${pending.length} pending migration(s):`);
      pending.forEach((name) => io.out(`  ${name}`));
      return EXIT_FAILED;
    }
    const applied = await migrate(orm);
    if (applied.length === 0) {
      io.out('The database schema is already up to date.');
    } else {
      io.out(`Applied ${applied.length} migration(s):`);
      applied.forEach((name) => io.out(`  ${name}`));
    }
    return EXIT_OK;
  });
}
