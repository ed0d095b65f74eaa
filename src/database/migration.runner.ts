import type { IMigrator } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { OperatorError } from '../common/errors/operator.error';

export class SchemaBehind extends OperatorError {
  constructor(readonly pending: string[]) {
    super(
      `The database schema is ${pending.length} migration(s) behind (${pending.join(', ')}). ` +
        'Run `attest migrate`, or set MIGRATE_ON_START=true, and start again.',
    );
    this.name = 'SchemaBehind';
  }
}

/** Advisory lock key ("MIGR") held while migrating. */
const MIGRATION_LOCK = 0x4d494752;

/**
 * Applies every pending committed migration in one transaction; returns their names. The
 * transaction first takes an advisory lock, and the migrator reads what is pending inside it:
 * instances that start together on one database migrate once, the others wait and find nothing
 * left to apply.
 */
export async function migrate(orm: {
  migrator: IMigrator;
  em: EntityManager;
  config: { get(key: 'pool'): { max?: number } | undefined };
}): Promise<string[]> {
  // One connection is the embedded database, which one process holds (its pid lock): there is
  // nobody to take turns with, and the migrator's own setup needs the connection free.
  if ((orm.config.get('pool')?.max ?? 2) <= 1) {
    return (await orm.migrator.up()).map((m) => m.name);
  }
  const connection = orm.em.getConnection();
  const applied = await connection.transactional(async (trx) => {
    await connection.execute('select pg_advisory_xact_lock(?)', [MIGRATION_LOCK], 'all', trx);
    return orm.migrator.up({ transaction: trx });
  });
  return applied.map((m) => m.name);
}

export async function pendingMigrations(orm: { migrator: IMigrator }): Promise<string[]> {
  return (await orm.migrator.getPending()).map((m) => m.name);
}

/** Refuses to run against a schema that lacks committed migrations. */
export async function assertSchemaCurrent(orm: { migrator: IMigrator }): Promise<void> {
  const pending = await pendingMigrations(orm);
  if (pending.length > 0) throw new SchemaBehind(pending);
}
