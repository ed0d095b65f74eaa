/**
 * Reads a stream of byte chunks in the sizes a format asks for, holding no more than the
 * largest read plus one source chunk: what the backup cipher and archive parse with, so a
 * backup of many gigabytes never sits in memory.
 */
export class ByteReader {
  private readonly source: AsyncIterator<Uint8Array>;
  private pending: Buffer[] = [];
  private pendingLength = 0;
  private ended = false;
  /** Bytes handed out so far: where the next read starts in the stream. */
  position = 0;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.source = source[Symbol.asyncIterator]();
  }

  /** Up to `length` bytes; fewer only where the stream ends. */
  async readUpTo(length: number): Promise<Buffer> {
    await this.fill(length);
    const all = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending);
    const taken = all.subarray(0, length);
    const rest = all.subarray(taken.length);
    this.pending = rest.length > 0 ? [rest] : [];
    this.pendingLength = rest.length;
    this.position += taken.length;
    return taken;
  }

  /** Exactly `length` bytes, or undefined when the stream ends first. */
  async readExactly(length: number): Promise<Buffer | undefined> {
    const bytes = await this.readUpTo(length);
    return bytes.length === length ? bytes : undefined;
  }

  /** Whether the stream has no more bytes (reads ahead by one source chunk to know). */
  async atEnd(): Promise<boolean> {
    await this.fill(1);
    return this.pendingLength === 0;
  }

  private async fill(length: number): Promise<void> {
    while (this.pendingLength < length && !this.ended) {
      const next = await this.source.next();
      if (next.done) {
        this.ended = true;
      } else if (next.value.length > 0) {
        const chunk = Buffer.isBuffer(next.value)
          ? next.value
          : Buffer.from(next.value.buffer, next.value.byteOffset, next.value.length);
        this.pending.push(chunk);
        this.pendingLength += chunk.length;
      }
    }
  }
}
