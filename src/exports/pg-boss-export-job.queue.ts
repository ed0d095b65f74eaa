import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type PgBoss from 'pg-boss';
import { ensureQueues, startPgBoss } from '../database/pg-boss-queues';
import type { ExportJobQueue } from './export-job.queue';
import { ExportJobRunner } from './export-job.runner';

export const EXPORT_QUEUE = 'attest-export';

interface ExportJobData {
  exportId: string;
}

/**
 * Background exports through pg-boss, on the same PostgreSQL as the app (its own `pgboss`
 * schema and a pool of two connections). One export at a time per instance. A job interrupted
 * by a shutdown or a crash is retried: by pg-boss when the instance stops, or after it expires.
 */
@Injectable()
export class PgBossExportJobQueue
  implements ExportJobQueue, OnApplicationBootstrap, OnModuleDestroy
{
  private readonly logger = new Logger(PgBossExportJobQueue.name);
  private readonly shutdown = new AbortController();
  private boss: PgBoss | undefined;
  private workerId: string | undefined;

  constructor(
    private readonly runner: ExportJobRunner,
    private readonly connectionString: string,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const boss = await startPgBoss(
      {
        connectionString: this.connectionString,
        applicationName: 'attest-exports',
        max: 2,
        schedule: false,
      },
      this.logger,
    );
    this.boss = boss;
    await ensureQueues(boss, [
      {
        name: EXPORT_QUEUE,
        retryLimit: 3,
        retryDelay: 5,
        // A lost worker's job is retried after this; far longer than any export takes.
        expireInSeconds: 4 * 3600,
      },
    ]);
    this.workerId = await boss.work<ExportJobData>(
      EXPORT_QUEUE,
      { batchSize: 1, pollingIntervalSeconds: 2 },
      async ([job]) => {
        const outcome = await this.runner.run(job.data.exportId, this.shutdown.signal);
        // Failing the job makes pg-boss retry it after the restart.
        if (outcome === 'interrupted') throw new Error('export interrupted by shutdown');
      },
    );
  }

  async enqueue(exportId: string): Promise<void> {
    if (!this.boss || !this.workerId) throw new Error('the export queue has not started');
    await this.boss.send(EXPORT_QUEUE, { exportId }, { singletonKey: exportId });
    // Start now rather than at the next poll.
    this.boss.notifyWorker(this.workerId);
  }

  async onModuleDestroy(): Promise<void> {
    this.shutdown.abort();
    await this.boss?.stop({ graceful: true, wait: true, timeout: 15_000 });
  }
}
