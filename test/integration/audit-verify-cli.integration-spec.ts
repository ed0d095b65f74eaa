import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/attest.cli';
import type { CliIo } from '../../src/cli/cli-io';
import { loadConfig } from '../../src/config/config.loader';
import { TEST_SECRETS } from '../helpers/test-app';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';

function capture(): CliIo & { out: (l: string) => void; stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}

/**
 * `attest audit verify` as an operator runs it, on a log the CLI itself wrote to: on the
 * PostgreSQL server of TEST_DATABASE_URL, or else on the embedded database in DATA_DIR, which
 * each command opens and closes as it does in production.
 */
describe('attest audit verify', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'attest-audit-cli-'));
  let server: TestDatabase | undefined;
  const config = () =>
    loadConfig({
      NODE_ENV: 'development',
      DATA_DIR: dataDir,
      ...(server ? { DATABASE_URL: server.clientUrl } : {}),
      ...TEST_SECRETS,
    });
  /** SQL as the database owner, between commands (no command holds the database then). */
  async function sql<T>(query: string, params?: unknown[]): Promise<T[]> {
    if (server) return server.query<T>(query, params);
    const embedded = await startEmbeddedPostgres(dataDir, 0);
    try {
      return (await embedded.pglite.query<T>(query, params)).rows;
    } finally {
      await embedded.close();
    }
  }
  const attest = async (...argv: string[]) => {
    const io = capture();
    return { code: await runCli(argv, config, io), ...io };
  };
  const seqs = async () =>
    (await sql<{ seq: string }>('select seq::text from audit_event order by audit_event.seq')).map(
      (r) => r.seq,
    );
  async function tamper(query: string, params: unknown[]): Promise<void> {
    await sql('alter table audit_event disable trigger audit_event_append_only');
    try {
      await sql(query, params);
    } finally {
      await sql('alter table audit_event enable trigger audit_event_append_only');
    }
  }

  beforeAll(async () => {
    const db = await createTestDatabase();
    if (db.embedded) await db.close();
    else server = db;
    const migrated = await attest('migrate');
    if (migrated.code !== 0) throw new Error(migrated.stderr.join('\n'));
    // Each command opens and closes the embedded database, as in production: slow on a busy box.
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reports an empty log as intact', async () => {
    const run = await attest('audit', 'verify');
    expect(run).toMatchObject({ code: 0, stdout: ['Audit chain intact: the audit log is empty.'] });
  });

  it('confirms the chain and prints its head, with progress on stderr', async () => {
    for (const name of ['one', 'two', 'three', 'four']) {
      expect((await attest('token', 'create', '--role', 'auditor', '--name', name)).code).toBe(0);
    }
    const [head] = await sql<{ seq: string; hash: string }>(
      'select seq::text, hash from audit_chain_head',
    );
    const count = (await seqs()).length;
    expect(count).toBeGreaterThanOrEqual(4);

    const run = await attest('audit', 'verify', '--progress-every', '2');
    expect(run.code).toBe(0);
    expect(run.stdout).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Audit chain intact: ${count} events, last seq ${head.seq}, last hash ${head.hash} \\(`,
        ),
      ),
    ]);
    expect(run.stderr[0]).toMatch(/^ {2}2 events checked \(up to seq \d+\)$/);
  });

  it('exits 1 naming an edited event, and 0 again once it is put back', async () => {
    const target = (await seqs())[1];
    const [{ action }] = await sql<{ action: string }>(
      'select action from audit_event where seq = $1',
      [target],
    );
    await tamper("update audit_event set action = 'auth.login' where seq = $1", [target]);
    const run = await attest('audit', 'verify');
    expect(run.code).toBe(1);
    expect(run.stderr[0]).toBe(
      `Audit chain broken: event seq ${target} was edited: its content no longer matches its hash.`,
    );

    await tamper('update audit_event set action = $2 where seq = $1', [target, action]);
    expect((await attest('audit', 'verify')).code).toBe(0);
  });

  it('exits 1 naming the newest event when it is deleted', async () => {
    const newest = (await seqs()).at(-1);
    await tamper('delete from audit_event where seq = $1', [newest]);
    const run = await attest('audit', 'verify');
    expect(run.code).toBe(1);
    expect(run.stderr[0]).toBe(
      `Audit chain broken: event seq ${newest} was deleted: it was the newest event.`,
    );
  });
});
