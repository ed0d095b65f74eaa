import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { AttestationExporter, type ExportResult } from './attestation-exporter';
import type { ExportFilters } from './export-filters';
import { ExportDelivery, ExportStatus } from './export-job.entity';
import { ExportJobLifecycle } from './export-job.lifecycle';

export interface FileExportProgress {
  readonly exportId: string;
  readonly total: number;
  readonly done: number;
}

/**
 * `attest export`: the same ZIP as the pages, written to a file of the operator's choosing.
 * Recorded like any export (a job row and audit events), so its manifest's exportId can be
 * traced back. Written beside the target and renamed when complete: a failed run leaves no
 * half-written ZIP behind.
 */
@Injectable()
export class FileExportsService {
  constructor(
    private readonly exporter: AttestationExporter,
    private readonly lifecycle: ExportJobLifecycle,
    private readonly clock: Clock,
  ) {}

  count(filters: ExportFilters): Promise<number> {
    return this.exporter.count(filters);
  }

  async exportTo(
    actorId: string,
    filters: ExportFilters,
    path: string,
    onProgress: (progress: FileExportProgress) => void,
  ): Promise<ExportResult & { exportId: string }> {
    const exportId = randomUUID();
    const total = await this.exporter.count(filters);
    const now = this.clock.now();
    const requester = { actorId };
    await this.lifecycle.open(
      requester,
      {
        id: exportId,
        status: ExportStatus.Running,
        delivery: ExportDelivery.Streamed,
        filters,
        total,
        createdAt: now,
      },
      'file',
    );
    const part = `${path}.part`;
    const result = await this.lifecycle.write(
      requester,
      { id: exportId, filters, generatedAt: now },
      {
        out: createWriteStream(part, { mode: 0o600 }),
        commit: () => rename(part, path),
        discard: () => rm(part, { force: true }),
      },
      {
        onProgress: (done) => onProgress({ exportId, total, done }),
        reasonFor: () => 'The export could not be written.',
        failedDetails: {},
      },
    );
    return { exportId, ...result };
  }
}
