import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { OperatorError } from '../common/errors/operator.error';

/** Thrown when another live process already holds the embedded database. */
export class EmbeddedDatabaseInUse extends OperatorError {
  constructor(lockFile: string, pid: number) {
    super(
      `The embedded database is in use by process ${pid} (lock ${lockFile}). ` +
        'It serves one process at a time: if that is the running app, stop it (Ctrl-C), run ' +
        'this command, then start the app again. To run commands beside the app, run Attest ' +
        'on a PostgreSQL server (DATABASE_URL).',
    );
    this.name = 'EmbeddedDatabaseInUse';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * An exclusive pid lock file. PGlite keeps its files open in one process only: a second
 * process writing the same directory would corrupt it, so it is refused instead.
 */
export class PidLock {
  private held = false;

  constructor(private readonly file: string) {}

  acquire(): void {
    try {
      writeFileSync(this.file, String(process.pid), { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number.parseInt(readFileSync(this.file, 'utf8'), 10);
      if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) {
        throw new EmbeddedDatabaseInUse(this.file, owner);
      }
      // A stale lock left by a process that died: take it over.
      writeFileSync(this.file, String(process.pid), { flag: 'w', mode: 0o600 });
    }
    this.held = true;
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    rmSync(this.file, { force: true });
  }
}
