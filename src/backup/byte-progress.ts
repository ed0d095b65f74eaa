/** Counts bytes going by and reports every so many, for the progress lines on stderr. */
export class ByteProgress {
  bytes = 0;
  private reportAt: number;

  constructor(
    private readonly verb: string,
    private readonly report: (line: string) => void,
    private readonly every = 64 * 1024 * 1024,
  ) {
    this.reportAt = every;
  }

  add(length: number): void {
    this.bytes += length;
    if (this.bytes < this.reportAt) return;
    this.report(`  ${mebibytes(this.bytes)} ${this.verb}`);
    while (this.reportAt <= this.bytes) this.reportAt += this.every;
  }
}

export const mebibytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
