import {
  auditChain,
  auditEventInput,
  headOf,
  inMemoryChainReader,
  storedEvent,
} from '../../test/factories/audit-chain.factory';
import { verifyAuditChain } from './audit-chain.verifier';
import { GENESIS_HASH } from './audit-hash';
import { AUDIT_PURGE_ACTION, keptFieldsDigest } from './audit-purge';
import { type ChainHead, expectedHashOf, type StoredAuditEvent } from './stored-audit-event';

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Verifies `rows` against `head` (by default, the head Attest recorded for `sound`). */
function sut(rows: StoredAuditEvent[], head: ChainHead | null, batchSize = 3) {
  return verifyAuditChain(inMemoryChainReader(rows, head), { batchSize });
}

/** The event with its content changed and its hash recomputed, as a careful forger would. */
function rehashed(event: StoredAuditEvent, change: Partial<StoredAuditEvent>): StoredAuditEvent {
  const content = { ...event, ...change };
  return { ...content, hash: expectedHashOf(content) };
}

const without = (rows: StoredAuditEvent[], ...seqs: number[]) =>
  rows.filter((e) => !seqs.includes(Number(e.seq)));

describe(verifyAuditChain.name, () => {
  const sound = auditChain(range(1, 6));
  const head = headOf(sound);

  describe('an intact log', () => {
    it('confirms it, with the head, across batches', async () => {
      const chain = auditChain(range(1, 23));
      const reader = inMemoryChainReader(chain, headOf(chain));
      const progress: number[] = [];
      const verdict = await verifyAuditChain(reader, {
        batchSize: 5,
        progressEvery: 10,
        onProgress: (n) => progress.push(n),
      });
      expect(verdict).toEqual({ intact: true, events: 23, head: headOf(chain), purged: 0 });
      expect(progress).toEqual([10, 20]);
      expect(reader.largestBatch).toBe(5);
    });

    it('accepts seq gaps that rolled-back appends leave, since the links hold', async () => {
      const chain = auditChain([2, 3, 7, 8, 12]);
      expect(await sut(chain, headOf(chain))).toMatchObject({ intact: true, events: 5 });
    });

    it('accepts an empty log', async () => {
      expect(await sut([], null)).toEqual({ intact: true, events: 0, head: null, purged: 0 });
    });
  });

  it.each<[string, (rows: StoredAuditEvent[]) => StoredAuditEvent[], ChainHead | null, string]>([
    [
      'an edited action',
      (rows) => rows.map((e) => (e.seq === '3' ? { ...e, action: 'tampered' } : e)),
      head,
      'event seq 3 was edited: its content no longer matches its hash',
    ],
    [
      'request context added to an old event',
      (rows) => rows.map((e) => (e.seq === '3' ? { ...e, ip: '198.51.100.1' } : e)),
      head,
      'event seq 3 was edited',
    ],
    [
      'a time moved by less than a millisecond',
      (rows) => rows.map((e) => (e.seq === '4' ? { ...e, occurredAtExact: false } : e)),
      head,
      'event seq 4 was edited',
    ],
    [
      'an edited prev_hash',
      (rows) => rows.map((e) => (e.seq === '4' ? { ...e, prevHash: 'a'.repeat(64) } : e)),
      head,
      'event seq 4 was edited',
    ],
    [
      'an event rewritten with its hash recomputed',
      (rows) => rows.map((e) => (e.seq === '3' ? rehashed(e, { action: 'tampered' }) : e)),
      head,
      'event seq 3 was edited: its hash was recomputed, but event seq 4 still links to its old hash',
    ],
    [
      'the newest event rewritten with its hash recomputed',
      (rows) => rows.map((e) => (e.seq === '6' ? rehashed(e, { action: 'tampered' }) : e)),
      head,
      'event seq 6 was edited: its hash was recomputed (the chain head records another)',
    ],
    [
      'the first event rewritten with its hash recomputed',
      (rows) => rows.map((e) => (e.seq === '1' ? rehashed(e, { prevHash: 'b'.repeat(64) }) : e)),
      head,
      'event seq 1 was edited',
    ],
  ])('names the edited event: %s', async (_case, tamper, h, message) => {
    const verdict = await sut(tamper(sound), h);
    expect(verdict).toMatchObject({ intact: false, problem: { kind: 'edited' } });
    expect(verdict.intact || verdict.problem.message).toContain(message);
  });

  it.each<[string, StoredAuditEvent[], ChainHead | null, string]>([
    ['one event in the middle', without(sound, 3), head, 'event seq 3 was deleted'],
    [
      'several events in the middle',
      without(sound, 3, 4),
      head,
      'events between seq 2 and seq 5 were deleted',
    ],
    ['the first event', without(sound, 1), head, 'event seq 1 was deleted'],
    ['the first two events', without(sound, 1, 2), head, 'events before seq 3 were deleted'],
    ['the newest event', without(sound, 6), head, 'event seq 6 was deleted: it was the newest'],
    [
      'the two newest events',
      without(sound, 5, 6),
      head,
      'events after seq 4 were deleted, the newest being seq 6',
    ],
    ['every event', [], head, 'every event, up to seq 6, was deleted'],
    ['the chain head', sound, null, 'the chain head was deleted'],
  ])('names what was deleted: %s', async (_case, rows, h, message) => {
    const verdict = await sut(rows, h);
    expect(verdict).toMatchObject({ intact: false, problem: { kind: 'deleted' } });
    expect(verdict.intact || verdict.problem.message).toContain(message);
  });

  it('tells a deletion from a rolled-back gap next to it', async () => {
    const gappy = auditChain([1, 2, 4, 5, 6]);
    const verdict = await sut(without(gappy, 4), headOf(gappy));
    expect(verdict.intact || verdict.problem.message).toBe(
      'events between seq 2 and seq 5 were deleted',
    );
  });

  it('still finds the newest event deleted after more events were appended', async () => {
    // Attest links the next append to the head, i.e. to the deleted event's hash.
    const rest = without(sound, 6);
    const later = storedEvent(7, sound[5].hash);
    const verdict = await sut([...rest, later], { seq: '7', hash: later.hash });
    expect(verdict.intact || verdict.problem.message).toBe('event seq 6 was deleted');
  });

  describe('inserted events', () => {
    const gappy = auditChain([1, 2, 4, 5]);
    const gappyHead = headOf(gappy);

    it('names a well-formed event appended behind Attest’s back (the head did not move)', async () => {
      const forged = storedEvent(7, sound[5].hash);
      const verdict = await sut([...sound, forged], head);
      expect(verdict).toMatchObject({ intact: false, problem: { kind: 'inserted', seq: '7' } });
      expect(verdict.intact || verdict.problem.message).toBe(
        'event seq 7 was inserted: it comes after the newest event Attest recorded, seq 6',
      );
    });

    it('names an event that forks the chain at an earlier event', async () => {
      const forged = storedEvent(7, sound[1].hash);
      const verdict = await sut([...sound, forged], { seq: '7', hash: 'd'.repeat(64) });
      expect(verdict.intact || verdict.problem.message).toBe(
        'event seq 7 was inserted: it forks the chain at event seq 2, which already continues at seq 3',
      );
    });

    it('names an event slipped in just before the newest, which the head vouches for', async () => {
      const short = gappy.slice(0, 3);
      const forged = storedEvent(3, short[1].hash, auditEventInput(30));
      const verdict = await sut([...short, forged], headOf(short));
      expect(verdict.intact || verdict.problem.message).toBe(
        'event seq 3 was inserted: the chain goes from event seq 2 straight to event seq 4',
      );
    });

    it('names an event slipped into a seq gap, linked to its neighbour', async () => {
      const forged = storedEvent(3, gappy[1].hash, auditEventInput(30));
      const verdict = await sut([...gappy, forged], gappyHead);
      expect(verdict.intact || verdict.problem.message).toBe(
        'event seq 3 was inserted: the chain goes from event seq 2 straight to event seq 4',
      );
    });

    it('names an event slipped into a seq gap that links nowhere', async () => {
      const forged = storedEvent(3, 'c'.repeat(64));
      const verdict = await sut([...gappy, forged], gappyHead);
      expect(verdict.intact || verdict.problem.message).toBe(
        'event seq 3 was inserted: it links to no stored event',
      );
    });

    it('names an event that claims to start the chain again', async () => {
      const forged = storedEvent(3, GENESIS_HASH);
      const verdict = await sut([...gappy, forged], gappyHead);
      expect(verdict).toMatchObject({ intact: false, problem: { kind: 'inserted', seq: '3' } });
    });
  });

  it.each([
    ['apart', 2, 5],
    ['adjacent', 3, 4],
    ['first and last', 1, 6],
  ])('names reordered events: two swapped %s', async (_case, a, b) => {
    const swapped = sound.map((e) => {
      const other = e.seq === String(a) ? b : e.seq === String(b) ? a : null;
      return other === null ? e : { ...sound[other - 1], seq: e.seq };
    });
    const verdict = await sut(swapped, head);
    expect(verdict).toMatchObject({
      intact: false,
      problem: { kind: 'reordered', seq: String(a) },
    });
  });

  describe('payloads purged under retention', () => {
    const about = (n: number) =>
      auditEventInput(n, { subjectType: 'person', subjectId: 'person-x', ip: '192.0.2.1' });
    /** Events 1-5, 2 and 3 about a person; 6 the purge that cleared them, as Attest writes it. */
    function purgedLog(seqs = '2-3', claimed = [2, 3]) {
      const rows: StoredAuditEvent[] = [];
      for (const n of range(1, 5)) {
        rows.push(
          storedEvent(
            n,
            rows.at(-1)?.hash ?? GENESIS_HASH,
            n === 2 || n === 3 ? about(n) : undefined,
          ),
        );
      }
      const cleared = (e: StoredAuditEvent): StoredAuditEvent => ({
        ...e,
        details: {},
        ip: null,
        userAgent: null,
        purgedAt: new Date('2033-12-07T00:00:00Z'),
      });
      const purge = storedEvent(6, rows[4].hash, {
        action: AUDIT_PURGE_ACTION,
        actorId: 'system',
        details: {
          kind: 'audit_events',
          count: claimed.length,
          rule: '7 years after end date',
          seqs,
          keptSha256: keptFieldsDigest(rows.filter((e) => claimed.includes(Number(e.seq)))),
        },
      });
      return [...rows.map((e) => (e.seq === '2' || e.seq === '3' ? cleared(e) : e)), purge];
    }

    it('verifies the links through purged events and reports them', async () => {
      const rows = purgedLog();
      expect(await sut(rows, headOf(rows))).toEqual({
        intact: true,
        events: 6,
        head: headOf(rows),
        purged: 2,
      });
    });

    it('finds a purged event that no purge accounts for', async () => {
      const rows = purgedLog('2', [2]);
      expect(await sut(rows, headOf(rows))).toMatchObject({
        intact: false,
        problem: {
          kind: 'edited',
          seq: '3',
          message:
            'event seq 3 was edited: its payload was cleared, but no retention purge accounts for it',
        },
      });
    });

    it('finds a kept field changed after the purge, which its hash no longer covers', async () => {
      const rows = purgedLog().map((e) => (e.seq === '3' ? { ...e, action: 'auth.login' } : e));
      expect(await sut(rows, headOf(rows))).toMatchObject({
        intact: false,
        problem: { kind: 'edited', seq: '6', message: expect.stringContaining('(seq 2-3)') },
      });
    });

    it('finds an event marked purged that still holds a payload', async () => {
      const rows = purgedLog().map((e) => (e.seq === '2' ? { ...e, details: { n: 2 } } : e));
      expect(await sut(rows, headOf(rows))).toMatchObject({
        intact: false,
        problem: {
          seq: '2',
          message:
            'event seq 2 was edited: it is marked purged, but not as a retention purge leaves an event',
        },
      });
    });

    it('finds a purge that names an event it did not purge', async () => {
      const rows = purgedLog('2-4', [2, 3, 4]);
      expect(await sut(rows, headOf(rows))).toMatchObject({
        intact: false,
        problem: {
          kind: 'edited',
          seq: '4',
          message: expect.stringContaining('retention purge at event seq 6'),
        },
      });
    });
  });
});
