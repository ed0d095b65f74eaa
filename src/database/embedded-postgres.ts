import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { PidLock } from './data-dir.lock';
import { restrictTree, secureDataDir } from './data-dir.permissions';

/** A running database the ORM can connect to, and how to shut it down. */
export interface DatabaseEndpoint {
  readonly clientUrl: string;
  readonly embedded: boolean;
  close(): Promise<void>;
}

export interface EmbeddedDatabaseEndpoint extends DatabaseEndpoint {
  /** The PGlite instance itself: one session, shared with whoever holds the socket. */
  readonly pglite: PGlite;
}

/**
 * Starts PGlite persisted under `dataDir/pg` and serves it on a loopback port, so the normal
 * PostgreSQL driver talks to it. The socket server admits one connection: PGlite has a single
 * session, and its multiplexer cannot keep concurrent transactions apart.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  port: number,
): Promise<EmbeddedDatabaseEndpoint> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const lock = new PidLock(join(dataDir, 'pg.lock'));
  lock.acquire();
  let db: PGlite | undefined;
  let server: PGLiteSocketServer | undefined;
  try {
    // pg_trgm: the people search's trigram index (migration hr_search_indexes), as on PostgreSQL.
    db = await PGlite.create({ dataDir: join(dataDir, 'pg'), extensions: { pg_trgm } });
    restrictTree(join(dataDir, 'pg'));
    server = new PGLiteSocketServer({ db, host: '127.0.0.1', port, maxConnections: 1 });
    await server.start();
  } catch (error) {
    await server?.stop().catch(() => undefined);
    await db?.close().catch(() => undefined);
    lock.release();
    throw error;
  }
  const [host, actualPort] = server.getServerConn().split(':');
  const running = { db, server };
  return {
    clientUrl: `postgresql://postgres@${host}:${actualPort}/postgres`,
    embedded: true,
    pglite: db,
    async close() {
      await running.server.stop();
      await running.db.close();
      restrictTree(join(dataDir, 'pg'));
      lock.release();
    },
  };
}

/** The configured database: a PostgreSQL server when a URL is given, else embedded PGlite. */
export async function openDatabase(options: {
  url: string | undefined;
  dataDir: string;
  embeddedPort: number;
}): Promise<DatabaseEndpoint> {
  secureDataDir(options.dataDir);
  if (options.url) {
    return { clientUrl: options.url, embedded: false, close: () => Promise.resolve() };
  }
  return startEmbeddedPostgres(options.dataDir, options.embeddedPort);
}
