import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { AttestationExporter, type ExportResult } from './attestation-exporter';
import type { ExportFilters } from './export-filters';
import { ExportDelivery, ExportStatus } from './export-job.entity';
import { ExportJobRepository } from './export-job.repository';

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
    private readonly jobs: ExportJobRepository,
    private readonly audit: AuditService,
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
    await this.jobs.create({
      id: exportId,
      status: ExportStatus.Running,
      delivery: ExportDelivery.Streamed,
      filters,
      total,
      requestedBy: actorId,
      createdAt: now,
    });
    await this.record(actorId, 'export.requested', exportId, { filters, total, delivery: 'file' });
    const part = `${path}.part`;
    try {
      const result = await this.exporter.write(
        { exportId, filters, generatedAt: now },
        createWriteStream(part, { mode: 0o600 }),
        { onProgress: (done) => onProgress({ exportId, total, done }) },
      );
      await rename(part, path);
      await this.jobs.done(exportId, result, this.clock.now());
      await this.record(actorId, 'export.completed', exportId, { ...result });
      return { exportId, ...result };
    } catch (error) {
      await rm(part, { force: true });
      await this.jobs.failed(exportId, 'The export could not be written.', this.clock.now());
      await this.record(actorId, 'export.failed', exportId, {});
      throw error;
    }
  }

  private async record(
    actorId: string,
    action: string,
    id: string,
    details: Record<string, unknown>,
  ): Promise<void> {
    await this.audit.record({ action, actorId, subjectType: 'export', subjectId: id, details });
  }
}
