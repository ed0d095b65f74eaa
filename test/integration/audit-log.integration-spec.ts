import { MikroORM } from '@mikro-orm/postgresql';
import { AuditEventRepository } from '../../src/audit/audit-event.repository';
import { GENESIS_HASH, hashAuditEvent } from '../../src/audit/audit-hash';
import { createOrmOptions } from '../../src/database/mikro-orm.config';
import { migrate } from '../../src/database/migration.runner';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';

interface Row {
  seq: string;
  occurred_at: Date;
  actor_id: string | null;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  details: Record<string, unknown>;
  request_id: string | null;
  prev_hash: string;
  hash: string;
}

describe(AuditEventRepository.name, () => {
  let db: TestDatabase;
  let orm: MikroORM;
  let sut: AuditEventRepository;

  beforeAll(async () => {
    db = await createTestDatabase();
    orm = await MikroORM.init(createOrmOptions(db.clientUrl, { embedded: db.embedded }));
    await migrate(orm);
    sut = new AuditEventRepository(orm.em);
  });

  afterAll(async () => {
    await orm?.close(true);
    await db?.close();
  });

  const rows = () => db.query<Row>('select * from audit_event order by seq');

  it('chains every event to the one before it, from the genesis hash', async () => {
    const at = new Date('2026-01-02T03:04:05.678Z');
    await sut.append({ action: 'test.first', actorId: 'p1', details: { b: 2, a: 1 } }, at);
    await sut.append({ action: 'test.second', subjectType: 'person', subjectId: 'p2' }, at);

    const [first, second] = await rows();
    expect(first.prev_hash).toBe(GENESIS_HASH);
    expect(second.prev_hash).toBe(first.hash);
    // The stored hash is recomputable from the stored row alone.
    for (const row of [first, second]) {
      expect(
        hashAuditEvent({
          seq: String(row.seq),
          occurredAt: new Date(row.occurred_at),
          actorId: row.actor_id,
          action: row.action,
          subjectType: row.subject_type,
          subjectId: row.subject_id,
          details: row.details,
          requestId: row.request_id,
          prevHash: row.prev_hash,
        }),
      ).toBe(row.hash);
    }
  });

  it('keeps one unbroken chain when many events are appended at once', async () => {
    const before = (await rows()).length;
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        sut.append({ action: 'test.concurrent', details: { i } }, new Date()),
      ),
    );
    const all = await rows();
    expect(all).toHaveLength(before + 12);
    all.forEach((row, i) => {
      expect(row.prev_hash).toBe(i === 0 ? GENESIS_HASH : all[i - 1].hash);
    });
  });

  it.each([
    ['update', "update audit_event set action = 'tampered'"],
    ['delete', 'delete from audit_event'],
    ['truncate', 'truncate audit_event'],
  ])('is refused by the database itself: %s', async (_op, sql) => {
    const before = await rows();
    await expect(db.query(sql)).rejects.toThrow(/append-only/);
    expect(await rows()).toEqual(before);
  });
});
