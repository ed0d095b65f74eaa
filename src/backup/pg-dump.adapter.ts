import { type ChildProcess, spawn } from 'node:child_process';
import { maskCredentials } from '../common/errors/operator.error';
import { childProcessEnv } from '../config/child-process-env';
import { DumpToolFailed } from './backup.errors';

/** A connection for libpq's tools: the URL without its password, which goes in PGPASSWORD. */
export function libpqConnection(databaseUrl: string): { url: string; env: Record<string, string> } {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  return { url: url.toString(), env: password ? { PGPASSWORD: password } : {} };
}

const INSTALL_HINT =
  'Install the PostgreSQL client programs (Debian: apt-get install postgresql-client), in a version at least the server’s, and run the command again.';

/** Collects the tail of a tool's stderr, for its error message. */
function stderrTail(child: ChildProcess): () => string {
  let text = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (part: string) => {
    text = (text + part).slice(-4000);
  });
  return () => maskCredentials(text.trim());
}

/** Resolves when the program exits 0; rejects, in its own words, otherwise. */
function exitOf(program: string, child: ChildProcess): Promise<void> {
  const stderr = stderrTail(child);
  return new Promise((resolve, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new DumpToolFailed(
          error.code === 'ENOENT'
            ? `${program} was not found on PATH. ${INSTALL_HINT}`
            : `${program} could not be started: ${error.message}`,
        ),
      ),
    );
    child.once('close', (code, signal) => {
      if (code === 0) return resolve();
      const words = stderr();
      const hint = /version mismatch/i.test(words) ? ` ${INSTALL_HINT}` : '';
      reject(
        new DumpToolFailed(
          `${program} failed (${signal ?? `exit ${code}`})${words ? `: ${words}` : '.'}${hint}`,
        ),
      );
    });
  });
}

/**
 * pg_dump and pg_restore, run as child processes with the password in PGPASSWORD: never on
 * a command line, where `ps` shows it, nor in a message.
 */
export class PgDumpAdapter {
  constructor(private readonly run: typeof spawn = spawn) {}

  /**
   * `pg_dump --format=custom` of the whole database, streamed. With `snapshot`, pg_dump reads
   * the snapshot another open transaction exported, so it dumps exactly what that one counted.
   */
  async *dump(databaseUrl: string, options: { snapshot?: string } = {}): AsyncGenerator<Buffer> {
    const { url, env } = libpqConnection(databaseUrl);
    const args = ['--format=custom', '--no-owner', `--dbname=${url}`];
    if (options.snapshot) args.push(`--snapshot=${options.snapshot}`);
    const child = this.run('pg_dump', args, {
      env: childProcessEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = exitOf('pg_dump', child);
    // Held until awaited below: a failure while the output streams must not go unhandled.
    exited.catch(() => undefined);
    let finished = false;
    try {
      for await (const chunk of child.stdout!) yield chunk as Buffer;
      await exited;
      finished = true;
    } finally {
      if (!finished && child.exitCode === null) child.kill('SIGTERM');
    }
  }

  /**
   * `pg_restore` of a custom-format dump, all of it or nothing (one transaction, the first error
   * stops it). `clean` drops the objects the dump holds before creating them again.
   */
  async restore(databaseUrl: string, file: string, options: { clean: boolean }): Promise<void> {
    const { url, env } = libpqConnection(databaseUrl);
    const args = ['--no-owner', '--single-transaction', '--exit-on-error', `--dbname=${url}`];
    if (options.clean) args.push('--clean', '--if-exists');
    args.push(file);
    const child = this.run('pg_restore', args, {
      env: childProcessEnv(env),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    await exitOf('pg_restore', child);
  }
}
