import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedDatabaseInUse, PidLock } from './data-dir.lock';

const lockFile = () => join(mkdtempSync(join(tmpdir(), 'attest-lock-')), 'pg.lock');

describe(PidLock.name, () => {
  it('writes this pid and removes the file on release', () => {
    const file = lockFile();
    const sut = new PidLock(file);
    sut.acquire();
    expect(readFileSync(file, 'utf8')).toBe(String(process.pid));
    sut.release();
    expect(existsSync(file)).toBe(false);
  });

  it('refuses when another live process holds the lock', () => {
    const file = lockFile();
    // The parent of this test process is alive for as long as the test runs.
    writeFileSync(file, String(process.ppid));
    expect(() => new PidLock(file).acquire()).toThrow(EmbeddedDatabaseInUse);
    expect(readFileSync(file, 'utf8')).toBe(String(process.ppid));
  });

  it('takes over a stale lock left by a process that has exited', () => {
    const file = lockFile();
    const exited = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    writeFileSync(file, exited.stdout.toString());
    new PidLock(file).acquire();
    expect(readFileSync(file, 'utf8')).toBe(String(process.pid));
  });
});
