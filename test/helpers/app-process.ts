import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const ROOT = join(__dirname, '..', '..');

/** The environment a newcomer has: none of the test runner's database or mode variables. */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of [
    'DATABASE_URL',
    'TEST_DATABASE_URL',
    'NODE_ENV',
    'SESSION_SECRET',
    'DATA_ENCRYPTION_KEY',
  ]) {
    delete env[name];
  }
  return { ...env, ...extra };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A process started with a shell command line in the repository, with its output kept. */
export class AppProcess {
  output = '';
  private readonly child: ChildProcess;
  readonly exited: Promise<number | null>;

  constructor(command: string, args: string[], env: NodeJS.ProcessEnv) {
    this.child = spawn(command, args, { cwd: ROOT, env, detached: true, stdio: 'pipe' });
    this.child.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    this.child.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  /** Polls a URL until it answers 200, the process exits, or the time runs out. */
  async waitFor(url: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    void this.exited.then(() => (exited = true));
    while (Date.now() < deadline && !exited) {
      const ok = await fetch(url).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      await sleep(250);
    }
    throw new Error(`${url} did not answer 200 in time. Output:\n${this.output}`);
  }

  /** SIGTERM to the whole process group (npm and the node it started). */
  stop(): void {
    if (this.child.pid) process.kill(-this.child.pid, 'SIGTERM');
  }
}

export async function waitUntilGone(file: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`${file} still exists`);
    await sleep(100);
  }
}

/** Runs SQL against an embedded database directory that no process holds open. */
export function queryEmbedded<T>(dataDir: string, sql: string): T[] {
  const script = `
    const { PGlite } = require('@electric-sql/pglite');
    (async () => {
      const db = await PGlite.create({ dataDir: process.argv[1] });
      const result = await db.query(process.argv[2]);
      process.stdout.write(JSON.stringify(result.rows));
      await db.close();
    })().catch((e) => { console.error(e); process.exit(1); });`;
  const run = spawnSync(
    join(ROOT, 'node_modules', '.bin', 'node'),
    ['-e', script, join(dataDir, 'pg'), sql],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  if (run.status !== 0) throw new Error(`query failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as T[];
}
