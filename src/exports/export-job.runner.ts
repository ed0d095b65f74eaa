import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { AttestationExporter } from './attestation-exporter';
import { ExportJobRepository } from './export-job.repository';
import { ExportStorage } from './export-storage';
import { ExportAborted, ExportFiltersInvalid, StoredAttestationCorrupt } from './exports.errors';

export type ExportRunOutcome = 'done' | 'failed' | 'interrupted' | 'skipped';

/** What a failed job shows the auditor: what to do, never internals or personal data. */
function reasonFor(error: unknown): string {
  if (error instanceof ExportFiltersInvalid || error instanceof StoredAttestationCorrupt) {
    return error.message;
  }
  return 'The export could not be written. Start it again; if it fails again, ask your administrator to check the server log.';
}

/**
 * Runs one background export: claims the job, writes the ZIP to storage with progress after
 * every batch, and records the outcome. Whatever queue delivers the job, this is the work.
 */
@Injectable()
export class ExportJobRunner {
  private readonly logger = new Logger(ExportJobRunner.name);

  constructor(
    private readonly jobs: ExportJobRepository,
    private readonly exporter: AttestationExporter,
    private readonly storage: ExportStorage,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async run(id: string, signal: AbortSignal): Promise<ExportRunOutcome> {
    const job = await this.jobs.findById(id);
    if (!job) return 'skipped';
    const startedAt = this.clock.now();
    let total: number;
    try {
      total = await this.exporter.count(job.filters);
    } catch (error) {
      return this.fail(id, error);
    }
    if (!(await this.jobs.claim(id, total, startedAt))) return 'skipped';
    const out = await this.storage.openWrite(id);
    try {
      const result = await this.exporter.write(
        { exportId: id, filters: job.filters, generatedAt: startedAt },
        out,
        { signal, onProgress: (done) => this.jobs.progress(id, done) },
      );
      await this.storage.commit(id);
      await this.jobs.done(id, result, this.clock.now());
      await this.audit.record({
        action: 'export.completed',
        actorId: 'system',
        subjectType: 'export',
        subjectId: id,
        details: { count: result.count, sha256: result.sha256, size: result.size },
      });
      return 'done';
    } catch (error) {
      await this.storage.discard(id);
      if (error instanceof ExportAborted) {
        await this.jobs.requeue(id);
        return 'interrupted';
      }
      return this.fail(id, error);
    }
  }

  private async fail(id: string, error: unknown): Promise<ExportRunOutcome> {
    // The export id and the error's type and stack only: messages may quote database values.
    this.logger.error({ err: error, exportId: id, msg: 'export failed' });
    await this.jobs.failed(id, reasonFor(error), this.clock.now());
    await this.audit.record({
      action: 'export.failed',
      actorId: 'system',
      subjectType: 'export',
      subjectId: id,
    });
    return 'failed';
  }
}
