import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { APP_CONFIG, type AppConfig } from '../config/app-config';

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The size of one stored piece of a ZIP: a few MiB keeps rows few and each read short. */
export const EXPORT_CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * Where background exports are kept: in the database, as numbered chunks of the ZIP
 * (export_file_chunk), so that every instance behind a load balancer can serve a download that
 * another instance wrote, and a backup of the database holds them. Each chunk is written and
 * read by one statement of its own: no transaction spans the export, and a download holds no
 * connection between chunks. A download is offered only once the job is done, so half a ZIP is
 * never served. Exports written by earlier versions, as DATA_DIR/exports/<id>.zip, are still
 * read from there.
 */
@Injectable()
export class ExportStorage {
  private readonly legacyDir: string;

  constructor(
    private readonly em: EntityManager,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.legacyDir = join(config.dataDir, 'exports');
  }

  /** A stream that stores what is written to it; whatever an earlier attempt left is removed. */
  async openWrite(id: string): Promise<Writable> {
    checkId(id);
    await this.discard(id);
    const db = this.em.getKysely();
    let seq = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = async (final: boolean) => {
      while (pendingBytes >= EXPORT_CHUNK_BYTES || (final && pendingBytes > 0)) {
        const all = Buffer.concat(pending);
        const chunk = all.subarray(0, EXPORT_CHUNK_BYTES);
        const rest = all.subarray(chunk.length);
        pending = rest.length > 0 ? [rest] : [];
        pendingBytes = rest.length;
        await sql`insert into export_file_chunk (export_job_id, seq, bytes)
                  values (${id}, ${seq++}, ${chunk})`.execute(db);
      }
    };
    return new Writable({
      // Backpressure: the ZIP writer waits while a full chunk is being stored.
      write(data: Buffer, _encoding, done) {
        pending.push(data);
        pendingBytes += data.length;
        flush(false).then(() => done(), done);
      },
      final(done) {
        flush(true).then(() => done(), done);
      },
    });
  }

  /** The chunks are in place once the stream has finished; the job's status makes them visible. */
  async commit(id: string): Promise<void> {
    checkId(id);
  }

  /** Removes a ZIP whose retention has ended. */
  remove(id: string): Promise<void> {
    return this.discard(id);
  }

  /** Removes a ZIP, whole or in part. */
  async discard(id: string): Promise<void> {
    checkId(id);
    await sql`delete from export_file_chunk where export_job_id = ${id}`.execute(
      this.em.getKysely(),
    );
    await rm(join(this.legacyDir, `${id}.zip`), { force: true });
    await rm(join(this.legacyDir, `${id}.zip.part`), { force: true });
  }

  /** The finished ZIP, or undefined when it is not (or no longer) there. */
  async openRead(id: string): Promise<{ stream: Readable; size: number } | undefined> {
    checkId(id);
    const db = this.em.getKysely();
    const { rows } = await sql<{ chunks: number; size: string | null }>`
      select count(*)::int as chunks, sum(octet_length(bytes))::bigint as size
        from export_file_chunk where export_job_id = ${id}`.execute(db);
    const { chunks, size } = rows[0];
    if (chunks === 0) return this.openLegacy(id);
    let seq = 0;
    const stream = new Readable({
      read() {
        if (seq >= chunks) {
          this.push(null);
          return;
        }
        sql<{ bytes: Buffer }>`
          select bytes from export_file_chunk where export_job_id = ${id} and seq = ${seq++}`
          .execute(db)
          .then(
            ({ rows: [row] }) => {
              if (row) this.push(Buffer.from(row.bytes));
              else this.destroy(new Error('an export chunk is missing'));
            },
            (error: Error) => this.destroy(error),
          );
      },
    });
    return { stream, size: Number(size) };
  }

  private async openLegacy(id: string) {
    const path = join(this.legacyDir, `${id}.zip`);
    try {
      const { size } = await stat(path);
      return { stream: createReadStream(path) as Readable, size };
    } catch {
      return undefined;
    }
  }
}

function checkId(id: string): void {
  // The id comes from our own database, but a path is built from it: check it all the same.
  if (!ID.test(id)) throw new Error('not an export id');
}
