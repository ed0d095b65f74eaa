import { existsSync } from 'node:fs';
import { openAsBlob } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { restrictTree } from '../database/data-dir.permissions';

/** Where the embedded database lives in DATA_DIR (src/database/embedded-postgres.ts). */
export const EMBEDDED_DIR = 'pg';

/**
 * PGlite's own dump and load of its data directory, a gzipped tar. PGlite builds the tarball
 * in memory (its API has no streaming form): an embedded database is for one machine and a
 * modest size; a large installation runs on PostgreSQL, whose dump streams.
 */
export class EmbeddedDumpAdapter {
  /** Whether DATA_DIR already holds an embedded database. */
  holdsDatabase(dataDir: string): boolean {
    return existsSync(join(dataDir, EMBEDDED_DIR, 'PG_VERSION'));
  }

  /**
   * The data directory of a running PGlite as a .tar.gz. The caller holds the database's only
   * session idle meanwhile; a checkpoint first leaves little WAL to replay at load.
   */
  async *dump(pglite: PGlite): AsyncGenerator<Uint8Array> {
    await pglite.exec('checkpoint');
    const tarball = await pglite.dumpDataDir('gzip');
    for await (const chunk of tarball.stream()) yield chunk;
  }

  /** Creates DATA_DIR/pg from a tarball `dump` wrote; DATA_DIR/pg must hold no database. */
  async load(dataDir: string, tarball: string): Promise<void> {
    // The extensions the app starts PGlite with (pg_trgm: the people search's index).
    const db = await PGlite.create({
      dataDir: join(dataDir, EMBEDDED_DIR),
      loadDataDir: await openAsBlob(tarball),
      extensions: { pg_trgm },
    });
    await db.close();
    restrictTree(join(dataDir, EMBEDDED_DIR));
  }
}
