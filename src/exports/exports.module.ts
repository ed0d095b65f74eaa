import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { AuditorsModule } from '../auditors/auditors.module';
import type { DatabaseEndpoint } from '../database/embedded-postgres';
import { ExportArchiveModule } from './export-archive.module';
import { MetricsModule } from '../metrics/metrics.module';
import { ExportJobQueue } from './export-job.queue';
import { ExportQueueMetrics } from './export-queue.metrics';
import { ExportJobRunner } from './export-job.runner';
import { ExportStorage } from './export-storage';
import { ExportsApiController } from './exports-api.controller';
import { ExportsController } from './exports.controller';
import { ExportsService } from './exports.service';
import { InProcessExportJobQueue } from './in-process-export-job.queue';
import { PgBossExportJobQueue } from './pg-boss-export-job.queue';

/** pg-boss needs connections of its own, which the embedded database cannot give. */
function queueFor(database: Pick<DatabaseEndpoint, 'clientUrl' | 'embedded'>): Provider {
  return database.embedded
    ? { provide: ExportJobQueue, useClass: InProcessExportJobQueue }
    : {
        provide: ExportJobQueue,
        inject: [ExportJobRunner],
        useFactory: (runner: ExportJobRunner) =>
          new PgBossExportJobQueue(runner, database.clientUrl),
      };
}

/**
 * Auditor exports: the pages, the API, and background jobs for large exports (pg-boss on a
 * PostgreSQL server, in process on the embedded database).
 */
@Module({})
export class ExportsModule {
  static forRoot(database: Pick<DatabaseEndpoint, 'clientUrl' | 'embedded'>): DynamicModule {
    return {
      module: ExportsModule,
      imports: [ExportArchiveModule, AuditorsModule, MetricsModule],
      controllers: [ExportsController, ExportsApiController],
      providers: [
        ExportStorage,
        ExportJobRunner,
        queueFor(database),
        ExportsService,
        ExportQueueMetrics,
      ],
    };
  }
}
