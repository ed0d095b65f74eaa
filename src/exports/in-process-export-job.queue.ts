import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { ExportJobQueue } from './export-job.queue';
import { ExportJobRepository } from './export-job.repository';
import { ExportJobRunner } from './export-job.runner';

/**
 * Background exports one at a time in this process, for the embedded database (a single
 * process owns it anyway). The export_job table is the queue's memory: a job a restart
 * interrupted is picked up again at start.
 */
@Injectable()
export class InProcessExportJobQueue
  implements ExportJobQueue, OnApplicationBootstrap, OnModuleDestroy
{
  private readonly logger = new Logger(InProcessExportJobQueue.name);
  private readonly shutdown = new AbortController();
  private readonly queued = new Set<string>();
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly runner: ExportJobRunner,
    private readonly jobs: ExportJobRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const id of await this.jobs.unfinishedIds()) await this.enqueue(id);
  }

  enqueue(exportId: string): Promise<void> {
    if (this.queued.has(exportId) || this.shutdown.signal.aborted) return Promise.resolve();
    this.queued.add(exportId);
    this.tail = this.tail
      .then(() => this.runner.run(exportId, this.shutdown.signal))
      .then(
        () => undefined,
        (error: unknown) => this.logger.error({ err: error, exportId, msg: 'export job crashed' }),
      )
      .finally(() => this.queued.delete(exportId));
    return Promise.resolve();
  }

  /** Stops the running export (it goes back to the queue) before the database closes. */
  async onModuleDestroy(): Promise<void> {
    this.shutdown.abort();
    await this.tail;
  }
}
