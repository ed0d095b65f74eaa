import { createHash, randomBytes } from 'node:crypto';

/**
 * How Attest draws a sample. Every person has the same chance of selection (ISA 530 ¶8), and
 * anyone holding the seed and the population can draw the same sample again, with this code
 * or with ten lines of their own: an auditor re-performs a selection rather than trusting it.
 *
 * - Random stream: block k (k = 0, 1, 2, …) is SHA-256(UTF-8(seed) ‖ k as an 8-byte big-endian
 *   integer); the stream is block 0 ‖ block 1 ‖ …, read 4 bytes at a time as big-endian
 *   unsigned 32-bit integers.
 * - A uniform integer below m: draw r; retry while r ≥ 2³² − (2³² mod m); answer r mod m
 *   (rejection, so no index is favoured).
 * - The sample: the population in its stable order a[0…M−1]; for i = 0…N−1, draw j = i +
 *   below(M − i) and swap a[i] and a[j] (a partial Fisher–Yates shuffle); the sample is
 *   a[0…N−1] in that order.
 */
export const SAMPLING_ALGORITHM = 'sha256-ctr-fisher-yates-v1';

/** The seed an auditor may type: short enough to read aloud, plain enough to copy. */
export const SEED_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;

const TWO_POW_32 = 0x1_0000_0000;

/** A deterministic stream of 32-bit integers: SHA-256 in counter mode over the seed. */
export class SeededRandom {
  private readonly seed: Buffer;
  private counter = 0n;
  private block = Buffer.alloc(0);
  private offset = 0;

  constructor(seed: string) {
    this.seed = Buffer.from(seed, 'utf8');
  }

  nextUint32(): number {
    if (this.offset + 4 > this.block.length) {
      const counter = Buffer.alloc(8);
      counter.writeBigUInt64BE(this.counter++);
      this.block = createHash('sha256').update(this.seed).update(counter).digest();
      this.offset = 0;
    }
    const value = this.block.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  /** A uniform integer in [0, m), 1 ≤ m ≤ 2³². */
  below(m: number): number {
    if (!Number.isInteger(m) || m < 1 || m > TWO_POW_32) throw new RangeError(`bad bound ${m}`);
    const limit = TWO_POW_32 - (TWO_POW_32 % m);
    for (;;) {
      const r = this.nextUint32();
      if (r < limit) return r % m;
    }
  }
}

/** N of the items, drawn as {@link SAMPLING_ALGORITHM} describes; the input is not changed. */
export function drawSample<T>(population: readonly T[], size: number, seed: string): T[] {
  if (!Number.isInteger(size) || size < 0 || size > population.length) {
    throw new RangeError(`cannot draw ${size} of ${population.length}`);
  }
  const random = new SeededRandom(seed);
  const items = [...population];
  for (let i = 0; i < size; i++) {
    const j = i + random.below(items.length - i);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items.slice(0, size);
}

/** A fresh seed when the auditor gives none: 128 bits from the operating system. */
export function newSeed(): string {
  return randomBytes(16).toString('hex');
}

/**
 * SHA-256 (hex) of the population's ids in order, each followed by a line feed: what
 * `cut -d, -f1 | tail -n +2 | tr -d '\r' | sha256sum` prints for the population's CSV.
 */
export function populationDigest(ids: readonly string[]): string {
  const hash = createHash('sha256');
  for (const id of ids) hash.update(`${id}\n`);
  return hash.digest('hex');
}
