import { PassThrough, type Writable } from 'node:stream';
import type { AuditService } from '../audit/audit.service';
import type { Clock } from '../common/clock';
import type { AttestationExporter } from './attestation-exporter';
import { NO_FILTERS } from './export-filters';
import { ExportJobLifecycle } from './export-job.lifecycle';
import type { ExportJobRepository } from './export-job.repository';
import { ExportJobRunner } from './export-job.runner';
import type { ExportStorage } from './export-storage';
import { ExportAborted } from './exports.errors';

describe(ExportJobRunner.name, () => {
  const id = '5a0f3c1e-2b7d-4e8f-9a01-8f2c1a7e4d3b';
  let jobs: Record<string, jest.Mock>;
  let storage: Record<string, jest.Mock>;
  let audit: { record: jest.Mock };
  let write: jest.Mock;

  function runner() {
    jobs = {
      findById: jest.fn(() => Promise.resolve({ id, filters: NO_FILTERS })),
      claim: jest.fn(() => Promise.resolve(true)),
      progress: jest.fn(() => Promise.resolve()),
      done: jest.fn(() => Promise.resolve()),
      failed: jest.fn(() => Promise.resolve()),
      requeue: jest.fn(() => Promise.resolve()),
    };
    storage = {
      openWrite: jest.fn(() => Promise.resolve(new PassThrough())),
      commit: jest.fn(() => Promise.resolve()),
      discard: jest.fn(() => Promise.resolve()),
    };
    audit = { record: jest.fn(() => Promise.resolve()) };
    const exporter = { count: jest.fn(() => Promise.resolve(3)), write };
    const clock = { now: () => new Date('2026-11-23T12:00:00Z') } as Clock;
    return new ExportJobRunner(
      jobs as unknown as ExportJobRepository,
      exporter as unknown as AttestationExporter,
      storage as unknown as ExportStorage,
      new ExportJobLifecycle(
        jobs as unknown as ExportJobRepository,
        exporter as unknown as AttestationExporter,
        audit as unknown as AuditService,
        clock,
      ),
      clock,
    );
  }

  it('writes the ZIP with progress, keeps it, and records the job done', async () => {
    write = jest.fn(
      async (
        _r: unknown,
        _out: Writable,
        options: { onProgress: (n: number) => Promise<void> },
      ) => {
        await options.onProgress(3);
        return { count: 3, sha256: 'f'.repeat(64), size: 1234 };
      },
    );
    const sut = runner();
    await expect(sut.run(id, new AbortController().signal)).resolves.toBe('done');
    expect(jobs.claim).toHaveBeenCalledWith(id, 3, expect.any(Date));
    expect(jobs.progress).toHaveBeenCalledWith(id, 3);
    expect(storage.commit).toHaveBeenCalledWith(id);
    expect(jobs.done).toHaveBeenCalledWith(
      id,
      { count: 3, sha256: 'f'.repeat(64), size: 1234 },
      expect.any(Date),
    );
    expect(audit.record).toHaveBeenCalledWith(
      expect.objectContaining({ action: 'export.completed', subjectId: id }),
    );
  });

  it('puts an export interrupted by shutdown back in the queue, and keeps no partial file', async () => {
    write = jest.fn(() => Promise.reject(new ExportAborted()));
    const sut = runner();
    await expect(sut.run(id, AbortSignal.abort())).resolves.toBe('interrupted');
    expect(storage.discard).toHaveBeenCalledWith(id);
    expect(jobs.requeue).toHaveBeenCalledWith(id);
    expect(jobs.failed).not.toHaveBeenCalled();
  });

  it('records a failure with what to do next, never the internal message', async () => {
    write = jest.fn(() =>
      Promise.reject(new Error('connection to 10.0.0.5 refused for alice@corp')),
    );
    const sut = runner();
    await expect(sut.run(id, new AbortController().signal)).resolves.toBe('failed');
    expect(storage.discard).toHaveBeenCalledWith(id);
    const [, reason] = jobs.failed.mock.calls[0] as [string, string];
    expect(reason).toMatch(/^The export could not be written\. Start it again/);
    expect(reason).not.toContain('alice');
    expect(audit.record).toHaveBeenCalledWith(expect.objectContaining({ action: 'export.failed' }));
  });

  it('leaves a job another worker claimed alone', async () => {
    write = jest.fn();
    const sut = runner();
    jobs.claim.mockResolvedValueOnce(false);
    await expect(sut.run(id, new AbortController().signal)).resolves.toBe('skipped');
    expect(write).not.toHaveBeenCalled();
  });
});
