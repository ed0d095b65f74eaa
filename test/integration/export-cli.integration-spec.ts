import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/attest.cli';
import type { CliIo } from '../../src/cli/cli-io';
import { loadConfig } from '../../src/config/config.loader';
import { tamperZip, unzipFile } from '../factories/export-zip.factory';
import { storedEntry, writeRawZip, zerosBombEntry } from '../factories/hostile-zip.factory';
import { inflationBombPdf } from '../factories/pdf-bomb.factory';
import { tamper } from '../factories/tampered-pdf.factory';
import { TEST_SECRETS } from '../helpers/test-app';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';

function capture(): CliIo & { out: (l: string) => void; stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}

/**
 * `attest seed`, `attest export` and `attest verify` as an operator runs them: on the server
 * database when TEST_DATABASE_URL is set, else on the embedded one in DATA_DIR.
 */
describe('attest export and attest verify (CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'attest-export-cli-'));
  let db: TestDatabase | undefined;
  let env: Record<string, string>;
  let seeded: Awaited<ReturnType<typeof run>>;
  const config = () => loadConfig(env);
  const run = async (...argv: string[]) => {
    const io = capture();
    const code = await runCli(argv, config, io);
    return { code, ...io };
  };
  const good = join(dir, 'good.zip');
  const variant = (name: string) => join(dir, name);

  beforeAll(async () => {
    env = { NODE_ENV: 'test', DATA_DIR: join(dir, 'data'), ...TEST_SECRETS };
    if (process.env.TEST_DATABASE_URL) {
      db = await createTestDatabase();
      env.DATABASE_URL = db.clientUrl;
    }
    seeded = await run('seed', '--people', '30', '--attestations', '6');
  }, 180_000);

  afterAll(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('seeds signed attestations with sealed PDFs', () => {
    expect(seeded.code).toBe(0);
    expect(seeded.stdout.at(-1)).toMatch(/ 6 sealed attestations in /);
  });

  it('exports to a file, with progress on stderr and the ZIP digest on stdout', async () => {
    const exported = await run('export', '--out', good);
    expect(exported.code).toBe(0);
    expect(exported.stderr).toContain('  6 of 6 PDFs');
    expect(exported.stdout[0]).toMatch(
      /^Exported 6 attestation\(s\) to .*good\.zip in [\d.]+ s: \d+ bytes, SHA-256 [0-9a-f]{64}, export id [0-9a-f-]{36}\.$/,
    );
  });

  it('refuses a malformed filter as a usage error', async () => {
    const refused = await run('export', '--out', variant('x.zip'), '--from', '2026-02-30');
    expect(refused.code).toBe(2);
    expect(refused.stderr.join('\n')).toMatch(/"From" must be a date written YYYY-MM-DD/);
  });

  it('verifies the export: exit 0', async () => {
    const verified = await run('verify', good);
    expect(verified.stderr).toEqual([]);
    expect(verified.code).toBe(0);
    expect(verified.stdout[0]).toMatch(
      /^Valid export [0-9a-f-]{36} generated .*: 6 attestation PDF\(s\) and 2 other file\(s\) match manifest\.json/,
    );
  });

  it.each([
    [
      'a PDF with one byte flipped',
      async (out: string) => {
        const files = await unzipFile(good);
        const pdf = [...files.keys()].find((n) => n.endsWith('.pdf'))!;
        tamperZip.flipPdfByte(good, out, files.get(pdf)!);
      },
      /^Not valid \(digest-mismatch\): attestations\/[0-9a-f-]{36}\.pdf does not match its SHA-256/,
    ],
    [
      'a PDF removed',
      async (out: string) => {
        const files = await unzipFile(good);
        await tamperZip.remove(
          good,
          out,
          [...files.keys()].find((n) => n.endsWith('.pdf'))!,
        );
      },
      /^Not valid \(file-missing\): attestations\/.*\.pdf is listed in manifest\.json but not in the ZIP\.$/,
    ],
    [
      'an edited manifest',
      (out: string) =>
        tamperZip.editManifest(good, out, (text) => text.replace('"count": 6', '"count": 5')),
      /^Not valid \(manifest-signature-invalid\): manifest\.json does not match its signature/,
    ],
  ])('refuses a ZIP with %s: exit 1 and the reason', async (_label, make, reason) => {
    const path = variant(`${_label.replace(/\W+/g, '-')}.zip`);
    await make(path);
    const refused = await run('verify', path);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toEqual([]);
    expect(refused.stderr).toHaveLength(1);
    expect(refused.stderr[0]).toMatch(reason);
  });

  it('verifies a single attestation PDF, and refuses it with a byte flipped', async () => {
    const files = await unzipFile(good);
    const pdf = files.get([...files.keys()].find((n) => n.endsWith('.pdf'))!)!;
    writeFileSync(variant('one.pdf'), pdf);
    const valid = await run('verify', variant('one.pdf'));
    expect(valid.code).toBe(0);
    expect(valid.stdout[0]).toMatch(/^Valid attestation [0-9a-f-]{36}: .* version .*, PAdES B-B/);

    writeFileSync(variant('flipped.pdf'), tamper.flipByte(pdf));
    const refused = await run('verify', variant('flipped.pdf'));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toEqual([
      'Not valid (digest-mismatch): The PDF was altered after sealing: its content no longer matches the seal.',
    ]);
  });

  it('refuses a 1 MB PDF that inflates to 1 GiB with its budget reason: exit 1', async () => {
    writeFileSync(variant('bomb.pdf'), inflationBombPdf());
    const refused = await run('verify', variant('bomb.pdf'));
    expect(refused.code).toBe(1);
    expect(refused.stdout).toEqual([]);
    expect(refused.stderr).toEqual([
      'Not valid (over-decompression-limit): The PDF’s compressed data expands to far more than any attestation PDF holds, so it was not checked further.',
    ]);
  });

  it('refuses a ZIP whose manifest.json inflates to 1 GiB with its budget reason: exit 1', async () => {
    writeRawZip(variant('manifest-bomb.zip'), [
      zerosBombEntry('manifest.json', 1024),
      storedEntry('manifest.json.p7s', Buffer.from('not a signature')),
    ]);
    const refused = await run('verify', variant('manifest-bomb.zip'));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toHaveLength(1);
    expect(refused.stderr[0]).toMatch(
      /^Not valid \(manifest-too-large\): manifest\.json expands to 1 GiB; an Attest export’s manifest is at most [\d.]+ MiB, so it was not read\.$/,
    );
  });
});
