import type { Writable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { AttestationExporter, type ExportResult } from './attestation-exporter';
import type { ExportFilters } from './export-filters';
import type { ExportDelivery, ExportJob, ExportStatus } from './export-job.entity';
import { ExportJobRepository } from './export-job.repository';
import { ExportAborted } from './exports.errors';

/**
 * Who asks, for the job and the audit log: a person, `auditor:<token>` on the API, or `system`
 * for a background job. A request field left undefined is taken from the request being served.
 */
export interface ExportRequester {
  readonly actorId: string;
  readonly requestId?: string | null;
  readonly ip?: string | null;
  readonly userAgent?: string | null;
}

/** Where a ZIP is written, and what becomes of it once it is complete or has failed. */
export interface ExportSink {
  readonly out: Writable;
  /** Keeps the complete ZIP (renames it into place, say). */
  commit(): Promise<void>;
  /** Removes whatever a failed write left behind. */
  discard(): Promise<void>;
}

export interface OpenedExport {
  readonly id: string;
  readonly status: ExportStatus;
  readonly delivery: ExportDelivery;
  readonly filters: ExportFilters;
  readonly total: number;
  readonly createdAt: Date;
}

export interface ExportWrite {
  readonly id: string;
  readonly filters: ExportFilters;
  readonly generatedAt: Date;
}

export interface ExportWriteOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number) => void | Promise<void>;
  /** What the failed job shows: what to do next, never internals or personal data. */
  readonly reasonFor: (error: unknown) => string;
  /** Details of the `export.failed` event. */
  readonly failedDetails?: Record<string, unknown>;
}

/**
 * The one life of an export, whoever asked for it and wherever its ZIP goes (the response, a
 * stored file, an operator's file): requested, written, then done or failed, each step on its
 * job row and in the audit log. A write a shutdown interrupted goes back to the queue instead.
 */
@Injectable()
export class ExportJobLifecycle {
  constructor(
    private readonly jobs: ExportJobRepository,
    private readonly exporter: AttestationExporter,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Records a new export: its job row and `export.requested` (`delivery` as the log says it). */
  async open(requester: ExportRequester, job: OpenedExport, delivery: string): Promise<void> {
    await this.jobs.create({ ...job, requestedBy: requester.actorId });
    await this.record(requester, 'export.requested', job.id, {
      filters: job.filters,
      total: job.total,
      delivery,
    });
  }

  /**
   * Writes the ZIP to the sink, keeps it, and records the job done. On failure the sink is
   * discarded, the job failed (or, when interrupted by shutdown, queued again) and the error
   * thrown on.
   */
  async write(
    requester: ExportRequester,
    job: ExportWrite,
    sink: ExportSink,
    options: ExportWriteOptions,
  ): Promise<ExportResult> {
    try {
      const result = await this.exporter.write(
        { exportId: job.id, filters: job.filters, generatedAt: job.generatedAt },
        sink.out,
        {
          ...(options.signal && { signal: options.signal }),
          ...(options.onProgress && { onProgress: options.onProgress }),
        },
      );
      await sink.commit();
      await this.jobs.done(job.id, result, this.clock.now());
      await this.record(requester, 'export.completed', job.id, {
        count: result.count,
        sha256: result.sha256,
        size: result.size,
      });
      return result;
    } catch (error) {
      await sink.discard();
      if (error instanceof ExportAborted) await this.jobs.requeue(job.id);
      else await this.fail(requester, job.id, options.reasonFor(error), options.failedDetails);
      throw error;
    }
  }

  /** Records the job failed, with a reason in words for the auditor. */
  async fail(
    requester: ExportRequester,
    id: string,
    reason: string,
    details?: Record<string, unknown>,
  ): Promise<void> {
    await this.jobs.failed(id, reason, this.clock.now());
    await this.record(requester, 'export.failed', id, details);
  }

  /** A stored ZIP handed out: recorded before the download starts. */
  async downloaded(
    requester: ExportRequester,
    job: Pick<ExportJob, 'id' | 'sha256'>,
  ): Promise<void> {
    await this.record(requester, 'export.downloaded', job.id, { sha256: job.sha256 });
  }

  private async record(
    requester: ExportRequester,
    action: string,
    id: string,
    details: Record<string, unknown> | undefined,
  ): Promise<void> {
    await this.audit.record({
      action,
      actorId: requester.actorId,
      subjectType: 'export',
      subjectId: id,
      ...(details && { details }),
      ...(requester.requestId !== undefined && { requestId: requester.requestId }),
      ...(requester.ip !== undefined && { ip: requester.ip }),
      ...(requester.userAgent !== undefined && { userAgent: requester.userAgent }),
    });
  }
}
