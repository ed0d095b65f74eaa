import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, linkSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { IsolationLevel } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { OperatorError } from '../common/errors/operator.error';
import type { AppConfig } from '../config/app-config';
import type { DatabaseEndpoint } from '../database/embedded-postgres';
import { type ArchiveEntry, writeArchive } from './backup-archive';
import { encryptBackup } from './backup-cipher';
import { isEmbedded, recordAudit, withBackupDatabase } from './backup-database';
import {
  attestVersion,
  type BackupManifest,
  countEvidence,
  dumpEntryOf,
  lastMigration,
  MANIFEST_ENTRY,
} from './backup-manifest';
import { backupCredentials, type BackupSecret, secretForNewBackup } from './backup-secret';
import { ByteProgress } from './byte-progress';
import { KEY_ENTRY_PREFIX, presentKeyFiles } from './data-dir-key-files';
import { EmbeddedDumpAdapter } from './embedded-dump.adapter';
import { PgDumpAdapter } from './pg-dump.adapter';

export interface BackupOptions {
  readonly out: string;
  /** Also the DATA_DIR files that hold keys (local secrets, development seal, SAML SP keys). */
  readonly withKeys: boolean;
  readonly passphraseFile?: string;
}

export interface BackupResult {
  readonly file: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly manifest: BackupManifest;
  readonly secret: Pick<BackupSecret, 'kind' | 'source'>;
  readonly seconds: number;
}

export interface BackupAdapters {
  readonly pgDump: PgDumpAdapter;
  readonly embeddedDump: EmbeddedDumpAdapter;
}

/** Streams the archive through the cipher into `file` (0600, created new, flushed to disk). */
async function writeEncrypted(
  file: string,
  entries: ArchiveEntry[],
  secret: BackupSecret,
  progress: (line: string) => void,
): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  const tally = new ByteProgress('written', progress);
  await pipeline(
    encryptBackup(writeArchive(entries), secret),
    async function* (source: AsyncIterable<Buffer>) {
      for await (const chunk of source) {
        hash.update(chunk);
        tally.add(chunk.length);
        yield chunk;
      }
    },
    createWriteStream(file, { flags: 'wx', mode: 0o600, flush: true }),
  );
  return { bytes: tally.bytes, sha256: hash.digest('hex') };
}

const just = (bytes: Buffer) =>
  async function* () {
    yield bytes;
  };

/**
 * `attest backup`: one consistent, encrypted file of the whole database, and of DATA_DIR's
 * key files when asked. Written under a temporary name and linked into place when complete,
 * so FILE is never a partial backup; an existing FILE is never overwritten.
 */
export async function writeBackup(
  config: AppConfig,
  options: BackupOptions,
  progress: (line: string) => void,
  adapters: BackupAdapters = {
    pgDump: new PgDumpAdapter(),
    embeddedDump: new EmbeddedDumpAdapter(),
  },
): Promise<BackupResult> {
  const started = Date.now();
  const secret = secretForNewBackup(
    backupCredentials(config, options.passphraseFile),
    options.passphraseFile !== undefined,
  );
  const file = resolve(options.out);
  if (existsSync(file)) {
    throw new OperatorError(
      `${file} already exists: choose a new name (for example with the date).`,
    );
  }
  if (!existsSync(dirname(file))) {
    throw new OperatorError(`The directory ${dirname(file)} does not exist: create it first.`);
  }
  const partial = join(dirname(file), `.${basename(file)}.partial-${process.pid}`);
  const keyFiles = options.withKeys ? presentKeyFiles(config.dataDir) : [];
  if (options.withKeys && keyFiles.length === 0) {
    progress(
      `  DATA_DIR (${config.dataDir}) holds no key files: the backup holds the database only.`,
    );
  }

  return withBackupDatabase(config, async (orm, database) => {
    const entriesFor = (manifest: BackupManifest, dump: () => AsyncIterable<Uint8Array>) => [
      { name: MANIFEST_ENTRY, content: just(Buffer.from(JSON.stringify(manifest, null, 2))) },
      { name: dumpEntryOf(database.embedded ? 'embedded' : 'postgresql'), content: dump },
      ...keyFiles.map((name) => ({
        name: `${KEY_ENTRY_PREFIX}${name}`,
        content: just(readFileSync(join(config.dataDir, name))),
      })),
    ];
    const manifestOf = async (em: EntityManager): Promise<BackupManifest> => ({
      format: 'attest-backup',
      formatVersion: 1,
      createdAt: new Date().toISOString(),
      database: database.embedded ? 'embedded' : 'postgresql',
      attestVersion: attestVersion(),
      lastMigration: await lastMigration(em),
      counts: await countEvidence(em),
      keyFiles,
    });
    progress(
      database.embedded
        ? '  dumping the embedded database (PGlite)…'
        : '  dumping the PostgreSQL database with pg_dump…',
    );
    let written: { manifest: BackupManifest; bytes: number; sha256: string };
    try {
      written = await dumpConsistently(
        orm,
        database,
        adapters,
        async (manifest, dump) => ({
          manifest,
          ...(await writeEncrypted(partial, entriesFor(manifest, dump), secret, progress)),
        }),
        manifestOf,
      );
      linkSync(partial, file);
    } finally {
      rmSync(partial, { force: true });
    }
    await recordAudit(orm, {
      action: 'system.backed_up',
      details: {
        database: written.manifest.database,
        bytes: written.bytes,
        sha256: written.sha256,
        keyFiles: keyFiles.length,
        encryptedWith: secret.kind,
      },
    });
    return {
      file,
      bytes: written.bytes,
      sha256: written.sha256,
      manifest: written.manifest,
      secret: { kind: secret.kind, source: secret.source },
      seconds: (Date.now() - started) / 1000,
    };
  });
}

/**
 * Counts the evidence and dumps the database in one consistent state. PostgreSQL: a read-only
 * repeatable-read transaction exports its snapshot, counts in it, and pg_dump dumps that same
 * snapshot while the transaction stays open. Embedded: this process holds the only session.
 */
async function dumpConsistently<T>(
  orm: MikroORM,
  database: DatabaseEndpoint,
  adapters: BackupAdapters,
  write: (manifest: BackupManifest, dump: () => AsyncIterable<Uint8Array>) => Promise<T>,
  manifestOf: (em: EntityManager) => Promise<BackupManifest>,
): Promise<T> {
  if (isEmbedded(database)) {
    const manifest = await manifestOf(orm.em.fork());
    return write(manifest, () => adapters.embeddedDump.dump(database.pglite));
  }
  return orm.em.fork().transactional(
    async (em) => {
      const [{ snapshot }] = await em.execute<{ snapshot: string }[]>(
        'select pg_export_snapshot() as snapshot',
      );
      const manifest = await manifestOf(em);
      return write(manifest, () => adapters.pgDump.dump(database.clientUrl, { snapshot }));
    },
    { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true },
  );
}
