import { createReadStream, createWriteStream, type ReadStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Where background exports are kept: DATA_DIR/exports/<id>.zip, readable by this user only.
 * A ZIP is written as <id>.zip.part and renamed when complete, so a download never serves half
 * a file. Files, not the database: an export of every attestation can exceed bytea's 1 GB, and
 * a file streams to the client without holding a database connection.
 */
@Injectable()
export class ExportStorage {
  private readonly dir: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.dir = join(config.dataDir, 'exports');
  }

  private pathOf(id: string, suffix = ''): string {
    // The id comes from our own database, but a path is built from it: check it all the same.
    if (!ID.test(id)) throw new Error('not an export id');
    return join(this.dir, `${id}.zip${suffix}`);
  }

  async openWrite(id: string): Promise<WriteStream> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    return createWriteStream(this.pathOf(id, '.part'), { mode: 0o600 });
  }

  async commit(id: string): Promise<void> {
    await rename(this.pathOf(id, '.part'), this.pathOf(id));
  }

  async discard(id: string): Promise<void> {
    await rm(this.pathOf(id, '.part'), { force: true });
  }

  /** The finished ZIP, or undefined when it is not (or no longer) there. */
  async openRead(id: string): Promise<{ stream: ReadStream; size: number } | undefined> {
    const path = this.pathOf(id);
    try {
      const { size } = await stat(path);
      return { stream: createReadStream(path), size };
    } catch {
      return undefined;
    }
  }
}
