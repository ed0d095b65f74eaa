import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { AttestationExporter } from './attestation-exporter';
import { ExportJobLifecycle, type ExportRequester } from './export-job.lifecycle';
import { ExportJobRepository } from './export-job.repository';
import { ExportStorage } from './export-storage';
import { ExportAborted, ExportFiltersInvalid, StoredAttestationCorrupt } from './exports.errors';

export type ExportRunOutcome = 'done' | 'failed' | 'interrupted' | 'skipped';

const SYSTEM: ExportRequester = { actorId: 'system' };

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
    private readonly lifecycle: ExportJobLifecycle,
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
      this.logFailure(id, error);
      await this.lifecycle.fail(SYSTEM, id, reasonFor(error));
      return 'failed';
    }
    if (!(await this.jobs.claim(id, total, startedAt))) return 'skipped';
    const sink = {
      out: await this.storage.openWrite(id),
      commit: () => this.storage.commit(id),
      discard: () => this.storage.discard(id),
    };
    try {
      await this.lifecycle.write(
        SYSTEM,
        { id, filters: job.filters, generatedAt: startedAt },
        sink,
        { signal, onProgress: (done) => this.jobs.progress(id, done), reasonFor },
      );
      return 'done';
    } catch (error) {
      if (error instanceof ExportAborted) return 'interrupted';
      this.logFailure(id, error);
      return 'failed';
    }
  }

  private logFailure(id: string, error: unknown): void {
    // The export id and the error's type and stack only: messages may quote database values.
    this.logger.error({ err: error, exportId: id, msg: 'export failed' });
  }
}
