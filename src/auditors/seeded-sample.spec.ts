import { createHash } from 'node:crypto';
import { drawSample, newSeed, populationDigest, SeededRandom } from './seeded-sample';

const people = (n: number) => Array.from({ length: n }, (_, i) => `p${String(i).padStart(5, '0')}`);

describe(SeededRandom.name, () => {
  it('reads SHA-256(seed ‖ counter) four bytes at a time, as documented', () => {
    const sut = new SeededRandom('audit-2026');
    const block = (k: number) => {
      const counter = Buffer.alloc(8);
      counter.writeBigUInt64BE(BigInt(k));
      return createHash('sha256').update('audit-2026', 'utf8').update(counter).digest();
    };
    const expected = [
      ...Array.from({ length: 8 }, (_, i) => block(0).readUInt32BE(i * 4)),
      block(1).readUInt32BE(0),
    ];
    expect(Array.from({ length: 9 }, () => sut.nextUint32())).toEqual(expected);
  });

  it('gives the same stream for the same seed and another for another seed', () => {
    const draw = (seed: string) => {
      const sut = new SeededRandom(seed);
      return Array.from({ length: 20 }, () => sut.below(1000));
    };
    expect(draw('a')).toEqual(draw('a'));
    expect(draw('a')).not.toEqual(draw('b'));
  });

  it('spreads below(m) evenly (chi-square, 9 degrees of freedom)', () => {
    const sut = new SeededRandom('distribution');
    const counts = Array.from({ length: 10 }, () => 0);
    const draws = 100_000;
    for (let i = 0; i < draws; i++) counts[sut.below(10)]++;
    const expected = draws / 10;
    const chiSquare = counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
    // 27.88 is the 0.001 critical value: a fair generator fails this once in a thousand seeds.
    expect(chiSquare).toBeLessThan(27.88);
  });

  it('refuses a bound it cannot draw below', () => {
    expect(() => new SeededRandom('x').below(0)).toThrow(RangeError);
  });
});

describe(drawSample.name, () => {
  it('draws the same people for the same seed and population', () => {
    const population = people(500);
    expect(drawSample(population, 25, 'seed-1')).toEqual(drawSample(population, 25, 'seed-1'));
    expect(drawSample(population, 25, 'seed-1')).not.toEqual(drawSample(population, 25, 'seed-2'));
  });

  it('keeps drawing the published sequence (a change here breaks every recorded sample)', () => {
    // The same five came out of an independent Python implementation of the documented steps.
    expect(drawSample(people(100), 5, 'attest')).toEqual([
      'p00096',
      'p00052',
      'p00073',
      'p00016',
      'p00085',
    ]);
  });

  it('draws distinct people from the population, and all of them when N = M', () => {
    const population = people(50);
    const sample = drawSample(population, 20, newSeed());
    expect(new Set(sample).size).toBe(20);
    sample.forEach((id) => expect(population).toContain(id));
    expect([...drawSample(population, 50, 'all')].sort()).toEqual(population);
    expect(drawSample(population, 0, 'none')).toEqual([]);
  });

  it('gives every person the same chance of selection', () => {
    const population = people(20);
    const picked = new Map<string, number>();
    const runs = 20_000;
    for (let i = 0; i < runs; i++) {
      for (const id of drawSample(population, 3, `run-${i}`)) {
        picked.set(id, (picked.get(id) ?? 0) + 1);
      }
    }
    const expected = (runs * 3) / 20;
    for (const id of population) {
      expect(Math.abs((picked.get(id) ?? 0) - expected) / expected).toBeLessThan(0.06);
    }
  });

  it('leaves the population as it was and refuses N > M', () => {
    const population = people(5);
    drawSample(population, 5, 'x');
    expect(population).toEqual(people(5));
    expect(() => drawSample(population, 6, 'x')).toThrow(RangeError);
  });
});

describe(populationDigest.name, () => {
  it('is the SHA-256 of the ids, one per line', () => {
    expect(populationDigest(['a', 'b'])).toBe(createHash('sha256').update('a\nb\n').digest('hex'));
    expect(populationDigest(['a', 'b'])).not.toBe(populationDigest(['b', 'a']));
  });

  it('makes fresh seeds of 32 hex digits', () => {
    expect(newSeed()).toMatch(/^[0-9a-f]{32}$/);
    expect(newSeed()).not.toBe(newSeed());
  });
});
