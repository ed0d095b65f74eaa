import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OperatorError } from '../../src/common/errors/operator.error';
import { secureDataDir } from '../../src/database/data-dir.permissions';
import { openDatabase } from '../../src/database/embedded-postgres';

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? [path, ...walk(path)] : [path];
  });
}

describe('DATA_DIR permissions', () => {
  let root: string;
  let umask: number;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'attest-data-dir-'));
    // What a newcomer's shell usually has: files 0644 and directories 0755 unless told otherwise.
    umask = process.umask(0o022);
  });

  afterEach(() => {
    process.umask(umask);
    rmSync(root, { recursive: true, force: true });
  });

  function refusal(dataDir: string): OperatorError {
    try {
      secureDataDir(dataDir);
    } catch (error) {
      if (error instanceof OperatorError) return error;
      throw error;
    }
    throw new Error('expected secureDataDir to refuse');
  }

  it('stops a start over a DATA_DIR that others can read, with the chmod to run', () => {
    const dataDir = join(root, 'data');
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    expect(refusal(dataDir).message).toBe(
      `DATA_DIR ${dataDir} can be read by other users of this machine (mode 0755). ` +
        `Run: chmod 700 '${dataDir}' and start Attest again.`,
    );
  });

  it('stops a start over a secrets.json that others can read, with the chmod to run', () => {
    const dataDir = join(root, 'data');
    mkdirSync(dataDir, { mode: 0o700 });
    writeFileSync(join(dataDir, 'secrets.json'), '{}', { mode: 0o644 });
    chmodSync(join(dataDir, 'secrets.json'), 0o644);
    expect(refusal(dataDir).message).toContain(`Run: chmod 600 '${join(dataDir, 'secrets.json')}'`);
  });

  it('creates the embedded database in an existing DATA_DIR with owner-only files', async () => {
    const dataDir = join(root, 'data');
    mkdirSync(dataDir, { mode: 0o700 });
    const database = await openDatabase({ url: undefined, dataDir, embeddedPort: 0 });
    await database.close();
    const exposed = walk(dataDir)
      .map((path) => ({ path, mode: statSync(path).mode & 0o777 }))
      .filter(({ mode }) => (mode & 0o077) !== 0)
      .map(({ path, mode }) => `${path.slice(dataDir.length)} ${mode.toString(8)}`);
    expect(walk(join(dataDir, 'pg')).length).toBeGreaterThan(10);
    expect(exposed).toEqual([]);
  });
});
