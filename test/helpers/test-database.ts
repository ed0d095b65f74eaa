import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { type DatabaseEndpoint, startEmbeddedPostgres } from '../../src/database/embedded-postgres';

export interface TestDatabase extends DatabaseEndpoint {
  /** Runs SQL as the database owner, on a connection of its own (outside the app's pool). */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Makes the database stop answering, to test readiness and error paths. */
  makeUnreachable(): Promise<void>;
}

/**
 * A fresh, empty database for one test file: its own database on the PostgreSQL server at
 * TEST_DATABASE_URL, or an embedded PGlite in a temporary directory when that is unset.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  return serverUrl ? createServerDatabase(serverUrl) : createEmbeddedDatabase();
}

async function createServerDatabase(serverUrl: string): Promise<TestDatabase> {
  const name = `attest_test_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const clientUrl = url.toString();
  return {
    clientUrl,
    embedded: false,
    async query<T>(sql: string, params?: unknown[]) {
      const client = new Client({ connectionString: clientUrl });
      await client.connect();
      try {
        return (await client.query(sql, params)).rows as T[];
      } finally {
        await client.end();
      }
    },
    async makeUnreachable() {
      await admin.query(`alter database ${name} allow_connections false`);
      await admin.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
        [name],
      );
    },
    async close() {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

async function createEmbeddedDatabase(): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'attest-test-db-'));
  const endpoint = await startEmbeddedPostgres(dir, 0);
  let closed = false;
  const closeOnce = async () => {
    if (closed) return;
    closed = true;
    await endpoint.close();
  };
  return {
    ...endpoint,
    async query<T>(sql: string, params?: unknown[]) {
      // The socket server admits one session, which the app may hold: ask PGlite directly.
      return (await endpoint.pglite.query(sql, params)).rows as T[];
    },
    makeUnreachable: closeOnce,
    async close() {
      await closeOnce();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
