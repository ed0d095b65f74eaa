import { auditChain } from '../../test/factories/audit-chain.factory';
import type { Principal } from '../access/principal';
import type { AuditEventRepository } from './audit-event.repository';
import { AuditLogService } from './audit-log.service';
import type { AuditNamesReader } from './audit-names.reader';
import type { AuditService } from './audit.service';
import type { AuditLogFilter } from './stored-audit-event';

const auditor = { personId: 'auditor-1' } as Principal;

function setup(total: number) {
  const log = auditChain(Array.from({ length: total }, (_, i) => i + 1));
  const calls: Array<{ filter: AuditLogFilter; cursor: string | undefined; limit: number }> = [];
  const page = (direction: 'asc' | 'desc') =>
    jest.fn((filter: AuditLogFilter, cursor: string | undefined, limit: number) => {
      calls.push({ filter, cursor, limit });
      const ordered = direction === 'asc' ? log : [...log].reverse();
      const after = ordered.filter((e) =>
        cursor === undefined
          ? true
          : direction === 'asc'
            ? Number(e.seq) > Number(cursor)
            : Number(e.seq) < Number(cursor),
      );
      return Promise.resolve(after.slice(0, limit));
    });
  const events = { findNewest: page('desc'), findOldest: page('asc') };
  const record = jest.fn(() => Promise.resolve({}));
  const sut = new AuditLogService(
    events as unknown as AuditEventRepository,
    { record } as unknown as AuditService,
    { namesOf: () => Promise.resolve(new Map()) } as unknown as AuditNamesReader,
  );
  return { sut, calls, record };
}

describe(AuditLogService.name, () => {
  describe('list', () => {
    it('shows 50 events, newest first, and links the older page after the last one shown', async () => {
      const { sut } = setup(120);
      const view = await sut.list({ action: 'auth.*', before: '101' });
      expect(view.events.map((e) => e.seq)).toEqual(
        Array.from({ length: 50 }, (_, i) => String(100 - i)),
      );
      expect(view.olderUrl).toBe('/audit?action=auth.*&before=51');
      expect(view.newestUrl).toBe('/audit?action=auth.*');
      expect(view.csvUrl).toBe('/audit.csv?action=auth.*');
    });

    it('has no older link on the last page', async () => {
      const { sut } = setup(50);
      const view = await sut.list({});
      expect(view.events).toHaveLength(50);
      expect([view.olderUrl, view.newestUrl, view.paged]).toEqual([null, null, false]);
    });

    it('reads an action ending in * as a prefix, and the to date as the whole day', async () => {
      const { sut, calls } = setup(1);
      await sut.list({ action: 'auth.*', from: '2026-03-01', to: '2026-03-31' });
      expect(calls[0].filter).toEqual({
        action: undefined,
        actionPrefix: 'auth.',
        actorId: undefined,
        subjectType: undefined,
        subjectId: undefined,
        from: new Date('2026-03-01T00:00:00.000Z'),
        until: new Date('2026-04-01T00:00:00.000Z'),
      });
    });
  });

  describe('exportCsv', () => {
    it('reads the log in batches, each after the last, and records the export first', async () => {
      const { sut, calls, record } = setup(2003);
      const batches: unknown[][][] = [];
      const recordedBeforeBatch: number[] = [];
      for await (const batch of sut.exportCsv(auditor, { actor: 'p-1', before: '9' }, {})) {
        recordedBeforeBatch.push(record.mock.calls.length);
        batches.push(batch);
      }
      expect(recordedBeforeBatch).toEqual([1, 1, 1]);
      expect(batches.map((b) => b.length)).toEqual([1000, 1000, 3]);
      expect(calls.map((c) => c.cursor)).toEqual([undefined, '1000', '2000']);
      expect(batches.flat().map((row) => row[0])).toEqual(
        Array.from({ length: 2003 }, (_, i) => String(i + 1)),
      );
      expect(record).toHaveBeenCalledWith({
        action: 'audit.exported',
        actorId: 'auditor-1',
        details: { filters: { actor: 'p-1' } },
      });
    });

    it('stops after an exact multiple of the batch with one empty read', async () => {
      const { sut, calls } = setup(1000);
      const rows: unknown[][] = [];
      for await (const batch of sut.exportCsv(auditor, {}, {})) rows.push(...batch);
      expect(rows).toHaveLength(1000);
      expect(calls).toHaveLength(2);
    });
  });
});
