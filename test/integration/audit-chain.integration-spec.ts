import { MikroORM } from '@mikro-orm/postgresql';
import { AuditChainVerifier } from '../../src/audit/audit-chain.verifier';
import { AuditEventRepository } from '../../src/audit/audit-event.repository';
import { hashAuditEvent } from '../../src/audit/audit-hash';
import { createOrmOptions } from '../../src/database/mikro-orm.config';
import { migrate } from '../../src/database/migration.runner';
import { auditEventInput } from '../factories/audit-chain.factory';
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

const COLUMNS = [
  'occurred_at',
  'actor_id',
  'action',
  'subject_type',
  'subject_id',
  'details',
  'request_id',
  'ip',
  'user_agent',
  'prev_hash',
  'hash',
] as const;

/** Someone with the database owner's password, editing the log behind Attest's back. */
describe(AuditChainVerifier.name, () => {
  let db: TestDatabase;
  let orm: MikroORM;
  let events: AuditEventRepository;
  let sut: AuditChainVerifier;

  beforeAll(async () => {
    db = await createTestDatabase();
    orm = await MikroORM.init(createOrmOptions(db.clientUrl, { embedded: db.embedded }));
    await migrate(orm);
    events = new AuditEventRepository(orm.em);
    sut = new AuditChainVerifier(events);
  });

  afterAll(async () => {
    await orm?.close(true);
    await db?.close();
  });

  /** Runs SQL with the append-only triggers switched off, as only the database owner can. */
  async function tamper(sql: string, params?: unknown[]): Promise<void> {
    await db.query('alter table audit_event disable trigger user');
    try {
      await db.query(sql, params);
    } finally {
      await db.query('alter table audit_event enable trigger user');
    }
  }

  /** A fresh log of `count` events appended through the repository; returns their seqs. */
  async function freshLog(count: number): Promise<string[]> {
    await tamper('truncate audit_event');
    await db.query('alter table audit_chain_head disable trigger user');
    await db.query('delete from audit_chain_head');
    await db.query('alter table audit_chain_head enable trigger user');
    const seqs: string[] = [];
    for (let n = 1; n <= count; n++) {
      seqs.push(String((await events.append(auditEventInput(n), new Date())).seq));
    }
    return seqs;
  }

  const rowAt = async (seq: string) =>
    (await db.query<Row>('select * from audit_event where seq = $1', [seq]))[0];

  async function problem(): Promise<string> {
    const verdict = await sut.verify({ batchSize: 4 });
    if (verdict.intact) throw new Error('expected the chain to be reported broken');
    return verdict.problem.message;
  }

  it('confirms an intact chain with its head, across batches and rolled-back gaps', async () => {
    const seqs = await freshLog(9);
    // A caller's transaction that rolls back leaves a gap in seq: not a deletion.
    await expect(
      orm.em.fork().transactional(async (em) => {
        await events.append({ action: 'test.rolled_back' }, new Date(), em);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    const after = await events.append(auditEventInput(10), new Date());
    expect(BigInt(after.seq)).toBeGreaterThan(BigInt(seqs[8]) + 1n);

    expect(await sut.verify({ batchSize: 4 })).toEqual({
      intact: true,
      events: 10,
      head: { seq: String(after.seq), hash: after.hash },
      purged: 0,
    });
  });

  it('hashes in the database exactly as the verifier does, whatever the content holds', async () => {
    await freshLog(1);
    const awkward = [
      {
        action: 'person.updated',
        details: { name: 'Zoë "Zed" O\'Brien \\ 日本語 🧾', n: -1.5e-7 },
      },
      { action: 'document.signed', details: { nested: [{ b: 1, a: [null, true, 'x'] }], '': '' } },
      { action: 'verify.public', subjectId: 'seq-"prevHash":"x"', ip: '2001:db8::1' },
      { action: 'a'.repeat(64), details: { tab: '\t', line: '\n', quote: '\\"' }, userAgent: 'ü' },
    ];
    for (const event of awkward) await events.append(event, new Date());
    const stored = await db.query<Row>('select * from audit_event order by seq');
    expect(stored).toHaveLength(1 + awkward.length);
    const verdict = await sut.verify({ batchSize: 2 });
    expect(verdict).toMatchObject({ intact: true, events: 1 + awkward.length });
    for (const [i, row] of stored.entries()) {
      if (i > 0) expect(row.prev_hash).toBe(stored[i - 1].hash);
    }
  });

  it.each([
    ['its action', "update audit_event set action = 'auth.login' where seq = $1"],
    ['its details', `update audit_event set details = details || '{"n": 0}' where seq = $1`],
    ['its ip', "update audit_event set ip = '198.51.100.7' where seq = $1"],
    [
      'its time, by a microsecond',
      "update audit_event set occurred_at = occurred_at + interval '1 microsecond' where seq = $1",
    ],
    ['its prev_hash', `update audit_event set prev_hash = repeat('a', 64) where seq = $1`],
  ])('names an event edited in place: %s', async (_what, sql) => {
    const seqs = await freshLog(6);
    await tamper(sql, [seqs[3]]);
    expect(await problem()).toMatch(new RegExp(`^event seq ${seqs[3]} was edited`));
  });

  it('names an event deleted from the middle', async () => {
    const seqs = await freshLog(6);
    await tamper('delete from audit_event where seq = $1', [seqs[2]]);
    expect(await problem()).toBe(`event seq ${seqs[2]} was deleted`);
  });

  it('names the newest event deleted, now and after later appends', async () => {
    const seqs = await freshLog(6);
    await tamper('delete from audit_event where seq = $1', [seqs[5]]);
    expect(await problem()).toBe(`event seq ${seqs[5]} was deleted: it was the newest event`);

    await events.append(auditEventInput(7), new Date());
    expect(await problem()).toBe(`event seq ${seqs[5]} was deleted`);
  });

  it('names an inserted event that forks the chain', async () => {
    const seqs = await freshLog(6);
    const target = await rowAt(seqs[1]);
    const [{ seq }] = await db.query<{ seq: string }>(
      "select nextval(pg_get_serial_sequence('audit_event', 'seq'))::text as seq",
    );
    const content = {
      seq,
      occurredAt: new Date(),
      actorId: 'person-1',
      action: 'document.signed',
      subjectType: 'document',
      subjectId: 'nda',
      details: {},
      requestId: null,
      prevHash: target.hash,
    };
    await db.query(
      'insert into audit_event (seq, occurred_at, actor_id, action, subject_type, subject_id, details, request_id, prev_hash, hash) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)',
      [
        seq,
        content.occurredAt,
        content.actorId,
        content.action,
        content.subjectType,
        content.subjectId,
        '{}',
        null,
        content.prevHash,
        hashAuditEvent(content),
      ],
    );
    expect(await problem()).toBe(
      `event seq ${seq} was inserted: it comes after the newest event Attest recorded, seq ${seqs[5]}`,
    );
  });

  it('names reordered events: the contents of two rows swapped', async () => {
    const seqs = await freshLog(6);
    const [a, b] = [await rowAt(seqs[1]), await rowAt(seqs[4])];
    const set = COLUMNS.map((c, i) => `${c} = $${i + 2}`).join(', ');
    const values = (row: Row) =>
      COLUMNS.map((c) => (c === 'details' ? JSON.stringify(row[c]) : row[c]));
    // hash is unique: park one row's hash while the two trade places.
    await tamper(`update audit_event set hash = repeat('f', 64) where seq = $1`, [a.seq]);
    await tamper(`update audit_event set ${set} where seq = $1`, [b.seq, ...values(a)]);
    await tamper(`update audit_event set ${set} where seq = $1`, [a.seq, ...values(b)]);

    expect(await problem()).toBe(
      `event seq ${seqs[1]} was reordered: it follows event seq ${seqs[3]} in the chain, which comes after it`,
    );
  });
});
