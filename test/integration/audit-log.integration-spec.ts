import { type EntityManager, MikroORM } from '@mikro-orm/postgresql';
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
  ip: string | null;
  user_agent: string | null;
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
  const head = async () =>
    (
      await db.query<{ seq: string; hash: string }>('select seq::text, hash from audit_chain_head')
    )[0];

  it('chains every event to the one before it, from the genesis hash', async () => {
    const at = new Date('2026-01-02T03:04:05.678Z');
    await sut.append({ action: 'test.first', actorId: 'p1', details: { b: 2, a: 1 } }, at);
    await sut.append(
      {
        action: 'test.second',
        subjectType: 'person',
        subjectId: 'p2',
        ip: '2001:db8::1',
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
      },
      at,
    );

    const [first, second] = await rows();
    expect(first.prev_hash).toBe(GENESIS_HASH);
    expect(second.prev_hash).toBe(first.hash);
    expect([first.ip, first.user_agent]).toEqual([null, null]);
    expect([second.ip, second.user_agent]).toEqual([
      '2001:db8::1',
      'Mozilla/5.0 (X11; Linux x86_64)',
    ]);
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
          ip: row.ip,
          userAgent: row.user_agent,
          prevHash: row.prev_hash,
        }),
      ).toBe(row.hash);
    }
  });

  it('cuts an overlong user agent to its column by characters, and hashes what it stores', async () => {
    const userAgent = `${'😀'.repeat(511)}abc`;
    const row = await sut.append({ action: 'test.long_agent', userAgent }, new Date());
    const [stored] = await db.query<Row>('select * from audit_event where seq = $1', [row.seq]);
    expect(Array.from(stored.user_agent!)).toHaveLength(512);
    expect(stored.user_agent).toBe(`${'😀'.repeat(511)}a`);
    expect(stored.hash).toBe(row.hash);
  });

  it('moves the chain head to every new event', async () => {
    const row = await sut.append({ action: 'test.head' }, new Date());
    expect(await head()).toEqual({ seq: String(row.seq), hash: row.hash });
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

  it.each([
    ['moved back', 'update audit_chain_head set seq = seq - 1'],
    ['deleted', 'delete from audit_chain_head'],
    ['truncated', 'truncate audit_chain_head'],
  ])('keeps the chain head from being %s, in the database itself', async (_op, sql) => {
    const before = await head();
    expect(before).toBeDefined();
    await expect(db.query(sql)).rejects.toThrow(/only moves forward/);
    expect(await head()).toEqual(before);
  });

  describe('in the caller’s transaction', () => {
    const caller = (work: (em: EntityManager) => Promise<void>) =>
      orm.em.fork().transactional(work);

    it('leaves no event, and the head where it was, when the caller rolls back', async () => {
      const before = await rows();
      const headBefore = await head();
      await expect(
        caller(async (em) => {
          await sut.append({ action: 'test.rolled_back' }, new Date(), em);
          throw new Error('the state change failed');
        }),
      ).rejects.toThrow('the state change failed');
      expect(await rows()).toEqual(before);
      expect(await head()).toEqual(headBefore);
    });

    it('commits exactly one event with the caller’s change, chained to the last', async () => {
      const before = await rows();
      await caller(async (em) => {
        await sut.appendIn(em, { action: 'test.committed', subjectId: 'x' }, new Date());
      });
      const after = await rows();
      expect(after).toHaveLength(before.length + 1);
      const added = after.at(-1)!;
      expect(added.action).toBe('test.committed');
      expect(added.prev_hash).toBe(before.at(-1)?.hash ?? GENESIS_HASH);
      expect(await head()).toEqual({ seq: String(added.seq), hash: added.hash });
    });

    it('refuses an EntityManager outside a transaction, where the lock would not hold', async () => {
      await expect(
        sut.appendIn(orm.em.fork(), { action: 'test.no_tx' }, new Date()),
      ).rejects.toThrow(/in a transaction/);
    });
  });
});
