import { MikroORM } from '@mikro-orm/postgresql';
import type { AppConfig } from '../config/app-config';
import { openDatabase } from '../database/embedded-postgres';
import { createOrmOptions } from '../database/mikro-orm.config';
import { migrate, pendingMigrations } from '../database/migration.runner';
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
  const database = await openDatabase({
    url: config.database.url,
    dataDir: config.dataDir,
    embeddedPort: config.database.embeddedPort,
  });
  try {
    const orm = await MikroORM.init(
      createOrmOptions(database.clientUrl, { embedded: database.embedded, poolMax: 1 }),
    );
    try {
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
    } finally {
      await orm.close(true);
    }
  } finally {
    await database.close();
  }
}
