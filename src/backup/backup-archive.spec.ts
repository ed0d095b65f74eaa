import { randomBytes } from 'node:crypto';
import { type ArchiveEntry, readArchive, readSmallEntry, writeArchive } from './backup-archive';
import { BackupUnreadable } from './backup.errors';

async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of source) parts.push(Buffer.from(part));
  return Buffer.concat(parts);
}

const entry = (name: string, ...parts: Buffer[]): ArchiveEntry => ({
  name,
  content: async function* () {
    yield* parts;
  },
});

async function* once(bytes: Buffer) {
  yield bytes;
}

async function readAll(bytes: Buffer): Promise<Array<[string, Buffer]>> {
  const out: Array<[string, Buffer]> = [];
  for await (const item of readArchive(once(bytes))) {
    out.push([item.name, await collect(item.content)]);
  }
  return out;
}

describe('backup archive', () => {
  it('reads back each entry by name, in order, whatever its pieces', async () => {
    const dump = randomBytes(3 * 1024 * 1024 + 17);
    const archive = await collect(
      writeArchive([
        entry('manifest.json', Buffer.from('{"a":1}')),
        entry(
          'database.dump',
          dump.subarray(0, 5),
          dump.subarray(5, 2_000_000),
          dump.subarray(2_000_000),
        ),
        entry('data-dir/seal/key.pem'),
      ]),
    );
    expect(await readAll(archive)).toEqual([
      ['manifest.json', Buffer.from('{"a":1}')],
      ['database.dump', dump],
      ['data-dir/seal/key.pem', Buffer.alloc(0)],
    ]);
  });

  it('frames an entry as name, then length-prefixed segments, then a zero length', async () => {
    const archive = await collect(writeArchive([entry('a', Buffer.from('xy'))]));
    expect(archive.toString('hex')).toBe(
      ['45', '0001', '61', '00000002', '7879', '00000000', '5a'].join(''),
    );
  });

  it('refuses names that could leave the directory they are written into', async () => {
    for (const name of [
      '../secrets.json',
      '/etc/passwd',
      'data-dir/../x',
      'a//b',
      'A',
      '.hidden',
    ]) {
      await expect(collect(writeArchive([entry(name)]))).rejects.toThrow(
        'Not a valid backup entry name',
      );
    }
  });

  it.each([
    ['no end mark', (a: Buffer) => a.subarray(0, a.length - 1)],
    ['a cut segment', (a: Buffer) => a.subarray(0, 12)],
    ['bytes after the end mark', (a: Buffer) => Buffer.concat([a, Buffer.from('x')])],
    ['an unknown record', (a: Buffer) => Buffer.concat([Buffer.from('Q'), a])],
  ])('refuses %s', async (what, change) => {
    const archive = await collect(writeArchive([entry('a', Buffer.from('hello'))]));
    const refused = readAll(change(archive));
    await expect(refused).rejects.toBeInstanceOf(BackupUnreadable);
    await expect(refused).rejects.toThrow(what);
  });

  it('refuses a small entry larger than its limit', async () => {
    const archive = await collect(writeArchive([entry('manifest.json', Buffer.alloc(100))]));
    const entries = readArchive(once(archive));
    const first = (await entries.next()).value as Parameters<typeof readSmallEntry>[0];
    await expect(readSmallEntry(first, 99)).rejects.toThrow('larger than 99 bytes');
  });
});
