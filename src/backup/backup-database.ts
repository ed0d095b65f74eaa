import { type EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { AuditEventRepository, type NewAuditEvent } from '../audit/audit-event.repository';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import type { AppConfig } from '../config/app-config';
import type { DatabaseEndpoint, EmbeddedDatabaseEndpoint } from '../database/embedded-postgres';
import { createOrmOptions } from '../database/mikro-orm.config';
import { withDatabase } from '../database/with-database';

/** Whoever runs the CLI has shell access to the server: the audit log records them as `cli`. */
export const CLI_ACTOR = 'cli';

export function isEmbedded(database: DatabaseEndpoint): database is EmbeddedDatabaseEndpoint {
  return database.embedded && 'pglite' in database;
}

/**
 * Opens the configured database the usual way (the embedded one refuses while the app holds
 * it), with the ORM on one connection, and closes both afterwards whatever happens.
 */
export function withBackupDatabase<T>(
  config: AppConfig,
  work: (orm: MikroORM, database: DatabaseEndpoint) => Promise<T>,
): Promise<T> {
  return withDatabase(config, async (database) => {
    const orm = await MikroORM.init(
      createOrmOptions(database.clientUrl, { embedded: database.embedded, poolMax: 1 }),
    );
    try {
      return await work(orm, database);
    } finally {
      await orm.close(true);
    }
  });
}

/** Tables in the public schema: none means an empty database, ready for a restore. */
export async function publicTableCount(em: EntityManager): Promise<number> {
  const [row] = await em.execute<{ count: string }[]>(
    "select count(*)::text as count from pg_tables where schemaname = 'public'",
  );
  return Number(row.count);
}

/** Appends one event to the audit log, as the CLI. */
export async function recordAudit(orm: MikroORM, event: Omit<NewAuditEvent, 'actorId'>) {
  await new AuditService(new AuditEventRepository(orm.em), new Clock()).record({
    ...event,
    actorId: CLI_ACTOR,
  });
}
