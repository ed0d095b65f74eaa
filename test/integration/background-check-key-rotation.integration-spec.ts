import { MikroORM } from '@mikro-orm/postgresql';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Role } from '../../src/access/role';
import { BackgroundCheckKeyRotation } from '../../src/background-checks/background-check-key-rotation';
import { BackgroundCheckSecrets } from '../../src/background-checks/background-check-secrets';
import {
  BACKGROUND_CHECK_TYPES,
  BackgroundCheck,
  BackgroundCheckStatus,
} from '../../src/background-checks/background-check.entity';
import { rotateKeys } from '../../src/cli/keys-rotate.command';
import { DataCipher, keyIdFor } from '../../src/common/crypto/data-cipher';
import { migrate } from '../../src/database/migration.runner';
import { createOrmOptions } from '../../src/database/mikro-orm.config';
import { Person } from '../../src/people/person.entity';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';

const NOW = new Date('2026-06-15T12:00:00.000Z');

interface SealedRow {
  id: string;
  adjudication_notes_ciphertext: string | null;
  report_reference_ciphertext: string | null;
}

describe(BackgroundCheckKeyRotation.name, () => {
  let db: TestDatabase;
  let orm: MikroORM;
  let dir: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    orm = await MikroORM.init(createOrmOptions(db.clientUrl, { embedded: db.embedded }));
    await migrate(orm);
    dir = mkdtempSync(join(tmpdir(), 'attest-keys-'));
  });

  afterAll(async () => {
    await orm?.close(true);
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    await db.query('delete from background_check');
  });

  /** `count` checks sealed under `key`, each with its own notes and report reference. */
  async function checksSealedUnder(key: Buffer, count: number): Promise<Map<string, string>> {
    const secrets = new BackgroundCheckSecrets(new DataCipher({ current: key }));
    const plaintexts = new Map<string, string>();
    const em = orm.em.fork();
    for (let i = 0; i < count; i++) {
      const personId = randomUUID();
      em.create(Person, {
        id: personId,
        email: `${personId}@example.test`,
        fullName: 'Test Person',
        roles: [Role.Employee],
        createdAt: NOW,
        updatedAt: NOW,
      });
      const id = randomUUID();
      const notes = `notes for ${id}`;
      // Every third check has no report reference: null columns are left alone.
      const reference = i % 3 === 0 ? null : `RPT-${id}`;
      plaintexts.set(`${id}:adjudicationNotes`, notes);
      if (reference) plaintexts.set(`${id}:reportReference`, reference);
      em.create(BackgroundCheck, {
        id,
        person: personId,
        type: BACKGROUND_CHECK_TYPES[i % BACKGROUND_CHECK_TYPES.length],
        jurisdiction: 'US',
        status: BackgroundCheckStatus.Consider,
        adjudicationNotesCiphertext: secrets.seal(id, 'adjudicationNotes', notes),
        reportReferenceCiphertext: secrets.seal(id, 'reportReference', reference),
        createdAt: NOW,
        updatedAt: NOW,
      });
    }
    await em.flush();
    return plaintexts;
  }

  const rows = () =>
    db.query<SealedRow>(
      'select id, adjudication_notes_ciphertext, report_reference_ciphertext from background_check order by id',
    );

  /** Every stored value, decrypted with `key` alone: proves it no longer needs another. */
  async function decryptAllWith(key: Buffer): Promise<Map<string, string>> {
    const secrets = new BackgroundCheckSecrets(new DataCipher({ current: key }));
    const values = new Map<string, string>();
    for (const row of await rows()) {
      values.set(
        `${row.id}:adjudicationNotes`,
        secrets.open(row.id, 'adjudicationNotes', row.adjudication_notes_ciphertext)!,
      );
      const reference = secrets.open(row.id, 'reportReference', row.report_reference_ciphertext);
      if (reference) values.set(`${row.id}:reportReference`, reference);
    }
    return values;
  }

  const silent = { out: () => {}, err: () => {} };

  it('re-encrypts every value from key A to key B, given A in a key file, values unchanged', async () => {
    const keyA = randomBytes(32);
    const keyB = randomBytes(32);
    const plaintexts = await checksSealedUnder(keyA, 7);
    const keyFile = join(dir, 'key-a');
    writeFileSync(keyFile, `${keyA.toString('base64')}\n`);
    const before = await rows();

    const code = await rotateKeys(orm.em, keyB, { previousKeyFiles: [keyFile] }, silent);

    expect(code).toBe(0);
    const after = await rows();
    const keyIds = after.flatMap((r) =>
      [r.adjudication_notes_ciphertext, r.report_reference_ciphertext]
        .filter((t): t is string => t !== null)
        .map((t) => t.split('.')[1]),
    );
    expect(new Set(keyIds)).toEqual(new Set([keyIdFor(keyB)]));
    expect(after.map((r) => r.report_reference_ciphertext === null)).toEqual(
      before.map((r) => r.report_reference_ciphertext === null),
    );
    expect(await decryptAllWith(keyB)).toEqual(plaintexts);
  });

  it('resumes an interrupted run: committed batches stay done, the rest is finished', async () => {
    const keyA = randomBytes(32);
    const keyB = randomBytes(32);
    const plaintexts = await checksSealedUnder(keyA, 7);
    const cipher = new DataCipher({ current: keyB, previous: [keyA] });
    const interrupted = new BackgroundCheckKeyRotation(orm.em, cipher, 3);
    await expect(
      interrupted.rotate(() => {
        throw new Error('killed');
      }),
    ).rejects.toThrow('killed');
    const underB = (await rows()).filter(
      (r) => !cipher.needsReencryption(r.adjudication_notes_ciphertext!),
    );
    expect(underB).toHaveLength(3);

    const resumed = await new BackgroundCheckKeyRotation(orm.em, cipher, 3).rotate();

    // Only the values left under A were touched the second time.
    const remaining = [...plaintexts.keys()].filter((k) => !underB.some((r) => k.startsWith(r.id)));
    expect(resumed.valuesReencrypted).toBe(remaining.length);
    expect(resumed.failures).toEqual([]);
    expect(await decryptAllWith(keyB)).toEqual(plaintexts);
  });

  it('reports values under a key it was not given, and exits 1 without touching them', async () => {
    const keyA = randomBytes(32);
    await checksSealedUnder(keyA, 2);
    const before = await rows();
    const errors: string[] = [];

    const code = await rotateKeys(
      orm.em,
      randomBytes(32),
      {},
      { out: () => {}, err: (l) => errors.push(l) },
    );

    expect(code).toBe(1);
    expect(errors.join('\n')).toContain(`needs key ${keyIdFor(keyA)}`);
    expect(await rows()).toEqual(before);
  });
});
