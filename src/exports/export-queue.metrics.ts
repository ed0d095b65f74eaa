import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AttestMetrics } from '../metrics/attest-metrics';
import { ExportJobRepository } from './export-job.repository';

/** Export jobs not yet finished, read at each scrape: the same for either queue adapter. */
@Injectable()
export class ExportQueueMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: AttestMetrics,
    private readonly jobs: ExportJobRepository,
  ) {}

  onModuleInit(): void {
    this.metrics.watchQueue('exports', () => this.jobs.countUnfinished());
  }
}
