import { join } from 'node:path';
import { Migrator } from '@mikro-orm/migrations';
import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { namePreparedStatements } from './prepared-statement';

export const MIGRATIONS_DIR = join(__dirname, 'migrations');

/** The ORM settings shared by the app, the `attest` CLI and the tests. */
export function createOrmOptions(
  clientUrl: string,
  options: { embedded: boolean; poolMax?: number },
): Options {
  return defineConfig({
    clientUrl,
    entities: ENTITIES,
    extensions: [Migrator],
    // PGlite serves exactly one session; a bigger pool would queue or interleave transactions.
    pool: { min: 0, max: options.embedded ? 1 : (options.poolMax ?? 10) },
    driverOptions: { onPoolCreated: namePreparedStatements },
    migrations: {
      tableName: 'mikro_orm_migrations',
      path: MIGRATIONS_DIR,
      pathTs: MIGRATIONS_DIR,
      migrationsList: MIGRATIONS,
      snapshotName: '.snapshot-attest',
      // The committed snapshot changes only when a migration is generated, never at run time.
      snapshotOnMigrate: false,
      allOrNothing: true,
      // The bootstrap and `attest migrate` report what they applied themselves.
      silent: true,
      transactional: true,
    },
    debug: false,
    colors: false,
    allowGlobalContext: false,
    ensureDatabase: false,
  });
}
