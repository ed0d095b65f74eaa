import type { IMigrator } from '@mikro-orm/core';
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

/** Applies every pending committed migration in one transaction; returns their names. */
export async function migrate(orm: { migrator: IMigrator }): Promise<string[]> {
  const applied = await orm.migrator.up();
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
