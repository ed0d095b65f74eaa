import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { MikroORM } from '@mikro-orm/postgresql';
import type { AppConfig } from '../../src/config/app-config';
import { createOrmOptions } from '../../src/database/mikro-orm.config';
import { migrate } from '../../src/database/migration.runner';
import { EXPORT_CHUNK_BYTES, ExportStorage } from '../../src/exports/export-storage';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';

async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

/** Export ZIPs in the database, in chunks: what lets any instance serve any download. */
describe('ExportStorage (integration)', () => {
  let db: TestDatabase;
  let orm: MikroORM;
  let storage: ExportStorage;
  const dataDir = mkdtempSync(join(tmpdir(), 'attest-export-storage-'));

  async function job(): Promise<string> {
    const id = randomUUID();
    await db.query(
      `insert into export_job (id, status, delivery, filters, total, done_count, requested_by, created_at)
       values ($1, 'running', 'stored', '{}', 0, 0, 'system', now())`,
      [id],
    );
    return id;
  }

  async function write(id: string, bytes: Buffer, pieceSize: number): Promise<void> {
    const pieces = Array.from({ length: Math.ceil(bytes.length / pieceSize) }, (_, i) =>
      bytes.subarray(i * pieceSize, (i + 1) * pieceSize),
    );
    await pipeline(Readable.from(pieces), await storage.openWrite(id));
    await storage.commit(id);
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    orm = await MikroORM.init(createOrmOptions(db.clientUrl, { embedded: db.embedded }));
    await migrate(orm);
    storage = new ExportStorage(orm.em, { dataDir } as AppConfig);
  });

  afterAll(async () => {
    await orm?.close(true);
    await db?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores a ZIP larger than two chunks in pieces of any size and reads it back byte for byte', async () => {
    const id = await job();
    const bytes = randomBytes(2 * EXPORT_CHUNK_BYTES + 12_345);
    await write(id, bytes, 65_537);
    const rows = await db.query<{ seq: number; size: number }>(
      'select seq, octet_length(bytes) as size from export_file_chunk where export_job_id = $1 order by seq',
      [id],
    );
    expect(rows).toEqual([
      { seq: 0, size: EXPORT_CHUNK_BYTES },
      { seq: 1, size: EXPORT_CHUNK_BYTES },
      { seq: 2, size: 12_345 },
    ]);
    const read = await storage.openRead(id);
    expect(read?.size).toBe(bytes.length);
    expect((await readAll(read!.stream)).equals(bytes)).toBe(true);
  });

  it('stores a ZIP of exactly one chunk as one row, and a second write replaces the first', async () => {
    const id = await job();
    await write(id, randomBytes(EXPORT_CHUNK_BYTES + 10), EXPORT_CHUNK_BYTES);
    const bytes = randomBytes(EXPORT_CHUNK_BYTES);
    await write(id, bytes, 1_000_000);
    const read = await storage.openRead(id);
    expect(read?.size).toBe(EXPORT_CHUNK_BYTES);
    expect((await readAll(read!.stream)).equals(bytes)).toBe(true);
  });

  it('discards what was written, and reads nothing for an unknown id', async () => {
    const id = await job();
    await write(id, randomBytes(1000), 100);
    await storage.discard(id);
    expect(await storage.openRead(id)).toBeUndefined();
    expect(await storage.openRead(randomUUID())).toBeUndefined();
  });

  it('still serves a ZIP an earlier version wrote to DATA_DIR/exports', async () => {
    const id = await job();
    const bytes = randomBytes(5000);
    mkdirSync(join(dataDir, 'exports'), { recursive: true });
    writeFileSync(join(dataDir, 'exports', `${id}.zip`), bytes);
    const read = await storage.openRead(id);
    expect(read?.size).toBe(5000);
    expect((await readAll(read!.stream)).equals(bytes)).toBe(true);
  });

  it('refuses an id that is not one', async () => {
    await expect(storage.openRead('../../etc/passwd')).rejects.toThrow('not an export id');
  });
});
