import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHUNK_SIZE, HEADER_LENGTH, TAG_LENGTH } from '../../src/backup/backup-cipher';
import { Installation } from '../helpers/cli-installation';

// Every command opens the database afresh, as an operator's shell would; on the embedded
// database each open takes seconds on a busy 2-core machine.
jest.setTimeout(300_000);

const EVIDENCE_COUNTS = `select (select count(*) from person)::int as people,
  (select count(*) from signature)::int as signatures,
  (select count(*) from attestation)::int as attestations,
  (select count(*) from audit_event)::int as audit_events`;

/** `attest backup` then `attest restore` into a fresh database, on the tier the suite runs on. */
describe('attest backup and attest restore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'attest-backup-'));
  const backupKey = randomBytes(32).toString('base64');
  const source = new Installation(join(dir, 'source'), backupKey);
  const target = new Installation(join(dir, 'target'), backupKey);
  const backupFile = join(dir, 'attest.backup');
  const variant = (name: string, bytes: Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };
  let sourceCounts: {
    people: number;
    signatures: number;
    attestations: number;
    audit_events: number;
  };

  beforeAll(async () => {
    await source.open();
    await target.open();
    const seeded = await source.run(['seed', '--people', '20', '--attestations', '4']);
    if (seeded.code !== 0) throw new Error(`attest seed failed: ${seeded.all}`);
    [sourceCounts] = await source.query(EVIDENCE_COUNTS);
  }, 300_000);

  afterAll(async () => {
    await source.close();
    await target.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('backs up the whole database and DATA_DIR’s keys to one private, encrypted file', async () => {
    const backup = await source.run(['backup', '--out', backupFile, '--with-keys']);
    expect(backup.stderr[0]).toMatch(/^ {2}dumping the (PostgreSQL|embedded) database/);
    expect(backup.code).toBe(0);
    expect(backup.stdout[0]).toMatch(
      /^Backed up the (PostgreSQL|embedded) database to .*attest\.backup in [\d.]+ s: \d+ bytes \([\d.]+ MiB\), SHA-256 [0-9a-f]{64}\.$/,
    );
    expect(backup.stdout[1]).toMatch(
      new RegExp(
        `^  ${sourceCounts.people} people, ${sourceCounts.signatures} signatures, ${sourceCounts.attestations} sealed attestations, ${sourceCounts.audit_events} audit events; schema at Migration\\d+_\\w+\\.$`,
      ),
    );
    expect(backup.stdout[2]).toBe(
      '  With 3 key file(s) from DATA_DIR: secrets.json, seal/key.pem, seal/cert.pem.',
    );
    expect(statSync(backupFile).mode & 0o777).toBe(0o600);

    const bytes = readFileSync(backupFile);
    expect(bytes.subarray(0, 8).toString('latin1')).toBe('ATTESTBK');
    const [person] = await source.query<{ email: string }>('select email from person limit 1');
    expect(bytes.includes(Buffer.from(person.email))).toBe(false);
    expect(
      bytes.includes(readFileSync(join(source.dataDir, 'seal', 'key.pem')).subarray(40, 80)),
    ).toBe(false);

    const [event] = await source.query<{ action: string; actor_id: string; details: unknown }>(
      'select action, actor_id, details from audit_event order by seq desc limit 1',
    );
    const sha256 = /SHA-256 ([0-9a-f]{64})/.exec(backup.stdout[0])![1];
    expect(event).toMatchObject({ action: 'system.backed_up', actor_id: 'cli' });
    expect(event.details).toEqual({
      database: expect.stringMatching(/^(postgresql|embedded)$/),
      bytes: bytes.length,
      sha256,
      keyFiles: 3,
      encryptedWith: 'key',
    });
  });

  it('refuses to overwrite a file, or to write a backup without a key', async () => {
    const again = await source.run(['backup', '--out', backupFile]);
    expect(again.code).toBe(1);
    expect(again.all).toMatch(/attest\.backup already exists: choose a new name/);
    const keyless = await source.run(['backup', '--out', join(dir, 'x.backup')], {
      BACKUP_KEY: undefined,
    });
    expect(keyless.code).toBe(1);
    expect(keyless.all).toMatch(
      /set BACKUP_KEY .* or BACKUP_PASSPHRASE, or pass --passphrase-file PATH/,
    );
    expect(existsSync(join(dir, 'x.backup'))).toBe(false);
  });

  it('refuses a tampered, truncated or foreign file, or the wrong key, and restores nothing', async () => {
    const restoreDirs = () =>
      readdirSync(tmpdir()).filter((name) => name.startsWith('attest-restore-'));
    const before = restoreDirs();
    const good = readFileSync(backupFile);
    const chunk = (index: number) => HEADER_LENGTH + index * (CHUNK_SIZE + TAG_LENGTH);
    const flipped = (bytes: Buffer, at: number) => {
      const copy = Buffer.from(bytes);
      copy[at] ^= 0x40;
      return copy;
    };
    const tampered = flipped(good, chunk(1) + 100);
    const cases: Array<[string, string[], Record<string, string> | undefined, RegExp]> = [
      [
        'tampered',
        [variant('tampered.backup', tampered)],
        undefined,
        /The backup is changed or damaged: chunk 1 \(bytes \d+ to \d+\) fails authentication\. Nothing was restored\./,
      ],
      [
        // The key files come last: a restore that used the dump before reading them would
        // already have written the database.
        'a changed final chunk',
        [variant('tampered-end.backup', flipped(good, good.length - 1))],
        undefined,
        /The backup is truncated or damaged: its last chunk \(\d+, bytes \d+ to \d+\) fails authentication/,
      ],
      [
        'cut at a chunk boundary',
        [variant('cut.backup', good.subarray(0, chunk(2)))],
        undefined,
        /The backup is truncated: it ends after chunk 1 \(byte \d+\) without its final chunk\. Nothing was restored\./,
      ],
      [
        'cut mid-chunk',
        [variant('cut-mid.backup', good.subarray(0, good.length - 1000))],
        undefined,
        /The backup is truncated or damaged: its last chunk/,
      ],
      [
        'the wrong key',
        [backupFile],
        { BACKUP_KEY: randomBytes(32).toString('base64') },
        /BACKUP_KEY does not open this backup: it was made with another key/,
      ],
      [
        'not a backup',
        [variant('x.pdf', Buffer.from('%PDF-1.7'))],
        undefined,
        /This is not an Attest backup/,
      ],
    ];
    for (const [what, files, env, message] of cases) {
      const refused = await target.run(['restore', ...files, '--with-keys'], env);
      expect({ what, code: refused.code }).toEqual({ what, code: 1 });
      expect(refused.stderr.at(-1)).toMatch(message);
    }
    expect(await target.isUntouched()).toBe(true);
    // The private temporary directory a restore decrypts into is gone again.
    expect(restoreDirs()).toEqual(before);
  });

  it('restores into a fresh database: counts match, the audit chain and every sealed PDF verify', async () => {
    const restored = await target.run(['restore', backupFile, '--with-keys']);
    expect(restored.stderr).toEqual([
      `  checking ${backupFile}…`,
      expect.stringMatching(/^ {2}the whole file authenticated; restoring the/),
    ]);
    expect(restored.code).toBe(0);
    expect(restored.stdout[1]).toMatch(/^ {2}table +backup +restored$/);
    const rows = restored.stdout.filter((line) => /^ {2}[a-z_]+ +\d+ +\d+/.test(line));
    expect(rows.map((line) => line.trim().split(/ +/)[0])).toEqual(
      expect.arrayContaining([
        'person',
        'signature',
        'attestation',
        'document_version',
        'audit_event',
      ]),
    );
    for (const line of rows) {
      const [, backedUp, now] = line.trim().split(/ +/);
      expect(now).toBe(backedUp);
    }
    expect(restored.all).toMatch(/Every count matches\./);
    expect(restored.all).toMatch(
      /Key files restored into DATA_DIR: secrets\.json \(the one there kept as secrets\.json\.before-restore-\d{8}T\d{6}Z\), seal\/key\.pem, seal\/cert\.pem\./,
    );
    for (const file of ['secrets.json', 'seal/key.pem', 'seal/cert.pem']) {
      expect(
        readFileSync(join(target.dataDir, file)).equals(readFileSync(join(source.dataDir, file))),
      ).toBe(true);
      expect(statSync(join(target.dataDir, file)).mode & 0o777).toBe(0o600);
    }

    const [counts] = await target.query<typeof sourceCounts>(EVIDENCE_COUNTS);
    // The restored log: the source's up to its backup, then the restore itself.
    expect(counts).toEqual({ ...sourceCounts, audit_events: sourceCounts.audit_events + 1 });
    const [last] = await target.query<{ action: string }>(
      'select action from audit_event order by seq desc limit 1',
    );
    expect(last.action).toBe('system.restored');

    const audit = await target.run(['audit', 'verify']);
    expect(audit.code).toBe(0);
    expect(audit.stdout[0]).toMatch(
      new RegExp(`^Audit chain intact: ${sourceCounts.audit_events + 1} events, `),
    );

    const pdfs = await target.query<{ id: string; pdf: Uint8Array }>(
      'select id, pdf from attestation',
    );
    expect(pdfs).toHaveLength(sourceCounts.attestations);
    for (const { id, pdf } of pdfs) {
      const verified = await target.run(['verify', variant(`${id}.pdf`, Buffer.from(pdf))]);
      expect({ id, stderr: verified.stderr, code: verified.code }).toEqual({
        id,
        stderr: [],
        code: 0,
      });
      expect(verified.stdout[0]).toMatch(new RegExp(`^Valid attestation ${id}: `));
    }
  });

  it('refuses a database that is not empty, and with --force restores over it (a passphrase backup)', async () => {
    const refused = await target.run(['restore', backupFile]);
    expect(refused.code).toBe(1);
    expect(refused.all).toMatch(/is not empty|already holds a database/);
    expect(refused.all).toMatch(/pass --force .* Nothing was changed\.$/);

    const passphraseFile = variant(
      'passphrase.txt',
      Buffer.from('a long backup passphrase for tests\n'),
    );
    const withPassphrase = join(dir, 'passphrase.backup');
    const backup = await source.run([
      'backup',
      '--out',
      withPassphrase,
      '--passphrase-file',
      passphraseFile,
    ]);
    expect(backup.code).toBe(0);
    expect(backup.stdout.at(-1)).toMatch(/Encrypted with .*passphrase\.txt/);

    const keyOnly = await target.run(['restore', withPassphrase, '--force']);
    expect(keyOnly.stderr.at(-1)).toMatch(
      /encrypted with a passphrase: set BACKUP_PASSPHRASE, or pass --passphrase-file/,
    );

    const forced = await target.run([
      'restore',
      withPassphrase,
      '--force',
      '--passphrase-file',
      passphraseFile,
    ]);
    expect(forced.code).toBe(0);
    expect(forced.all).toMatch(/Every count matches\./);
    if (!target.db) {
      expect(forced.all).toMatch(
        /The database that was there is kept in .*pg\.before-restore-\d{8}T\d{6}Z\./,
      );
      expect(
        readdirSync(target.dataDir).filter((name) => name.startsWith('pg.before-restore-')),
      ).toHaveLength(1);
    }
    const audit = await target.run(['audit', 'verify']);
    expect(audit.code).toBe(0);
  });
});
