import { createHash } from 'node:crypto';
import { type PassThrough, Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';

export interface ZipEntryOptions {
  readonly mtime: Date;
  /** PDFs are compressed already: storing them is faster and as small. */
  readonly compress: boolean;
}

/**
 * A ZIP written straight to a stream (yazl), with the digest and size of what went out. yazl
 * keeps every entry until the end (for the central directory), and a buffer given to addBuffer
 * with it; here each entry's bytes are handed over lazily and dropped once written, so memory
 * holds only what is queued, which {@link drainBelow} bounds.
 */
export class ZipStreamWriter {
  private readonly zip = new ZipFile();
  private readonly digest = createHash('sha256');
  private bytesOut = 0;
  private queuedBytes = 0;
  private failure: Error | undefined;
  private waiters: Array<() => void> = [];
  private readonly piped: Promise<void>;
  /** yazl creates it as a PassThrough; its typings say only ReadableStream. */
  private readonly output = this.zip.outputStream as PassThrough;

  constructor(destination: Writable) {
    const tap = new Transform({
      transform: (chunk: Buffer, _encoding, done) => {
        this.digest.update(chunk);
        this.bytesOut += chunk.length;
        done(null, chunk);
      },
    });
    this.zip.on('error', (error: Error) => this.abort(error));
    this.piped = pipeline(this.output, tap, destination).catch((error: unknown) => {
      this.failure ??= error instanceof Error ? error : new Error(String(error));
      this.wake();
      throw this.failure;
    });
    // Observed through drainBelow and finish; never an unhandled rejection.
    this.piped.catch(() => undefined);
  }

  /** Adds one file. Its bytes are released as soon as the ZIP has written them out. */
  add(path: string, bytes: Buffer, options: ZipEntryOptions): void {
    let pending: Buffer | null = bytes;
    this.queuedBytes += bytes.length;
    this.zip.addReadStreamLazy(
      path,
      { mtime: options.mtime, compress: options.compress, size: bytes.length },
      (ready) => {
        const data = pending ?? Buffer.alloc(0);
        pending = null;
        this.queuedBytes -= data.length;
        this.wake();
        ready(null, Readable.from(data, { objectMode: false }));
      },
    );
  }

  /** Waits until no more than `limit` bytes wait to be written: the reader sets the pace. */
  async drainBelow(limit: number): Promise<void> {
    while (this.queuedBytes > limit && !this.failure) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    if (this.failure) throw this.failure;
  }

  /** Writes the central directory and waits for the destination to take the last byte. */
  async finish(): Promise<{ sha256: string; size: number }> {
    if (this.failure) throw this.failure;
    this.zip.end();
    await this.piped;
    return { sha256: this.digest.digest('hex'), size: this.bytesOut };
  }

  /** Stops writing: the destination is destroyed, so a download visibly fails. */
  abort(error: Error): void {
    this.failure ??= error;
    this.output.destroy(error);
    this.wake();
  }

  private wake(): void {
    const waiting = this.waiters;
    this.waiters = [];
    waiting.forEach((resolve) => resolve());
  }
}
