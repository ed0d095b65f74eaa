import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { runCli } from '../../src/cli/attest.cli';
import type { CliIo } from '../../src/cli/cli-io';
import { loadConfig } from '../../src/config/config.loader';
import { createTestDatabase, type TestDatabase } from './test-database';

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}

/** One installation: its DATA_DIR, and its database on the server when TEST_DATABASE_URL is set. */
export class Installation {
  db: TestDatabase | undefined;
  readonly env: Record<string, string>;

  constructor(
    readonly dataDir: string,
    backupKey: string,
  ) {
    // No SESSION_SECRET or DATA_ENCRYPTION_KEY: each installation generates its own secrets.json,
    // as a fresh machine does, so --with-keys has a local secret to carry over.
    this.env = { NODE_ENV: 'test', DATA_DIR: dataDir, BACKUP_KEY: backupKey };
  }

  async open(): Promise<this> {
    if (process.env.TEST_DATABASE_URL) {
      this.db = await createTestDatabase();
      this.env.DATABASE_URL = this.db.clientUrl;
    }
    return this;
  }

  async run(argv: string[], env: Record<string, string | undefined> = {}) {
    const io = capture();
    const merged = Object.fromEntries(
      Object.entries({ ...this.env, ...env }).filter(([, v]) => v !== undefined),
    ) as Record<string, string>;
    const code = await runCli(argv, () => loadConfig(merged), io);
    return {
      code,
      stdout: io.stdout,
      stderr: io.stderr,
      all: [...io.stdout, ...io.stderr].join('\n'),
    };
  }

  /** SQL on this installation's database, outside the CLI (which must not be running). */
  async query<T = Record<string, unknown>>(sql: string): Promise<T[]> {
    if (this.db) return this.db.query<T>(sql);
    const pglite = await PGlite.create({
      dataDir: join(this.dataDir, 'pg'),
      extensions: { pg_trgm },
    });
    try {
      return (await pglite.query<T>(sql)).rows;
    } finally {
      await pglite.close();
    }
  }

  /** Whether a restore has written anything: tables, an embedded database, key files. */
  async isUntouched(): Promise<boolean> {
    const database = this.db
      ? Number(
          (
            await this.db.query<{ n: string }>(
              "select count(*)::text as n from pg_tables where schemaname = 'public'",
            )
          )[0].n,
        ) === 0
      : !existsSync(join(this.dataDir, 'pg', 'PG_VERSION'));
    return database && !existsSync(join(this.dataDir, 'seal'));
  }

  async close(): Promise<void> {
    await this.db?.close();
  }
}
