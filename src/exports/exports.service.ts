import { randomUUID } from 'node:crypto';
import type { Writable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { ControlsService } from '../auditors/controls.service';
import { Clock } from '../common/clock';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { AttestationExporter } from './attestation-exporter';
import { ExportAttestationRepository } from './export-attestation.repository';
import type { ExportFilters } from './export-filters';
import { ExportDelivery, type ExportJob, ExportStatus } from './export-job.entity';
import { ExportJobLifecycle, type ExportRequester } from './export-job.lifecycle';
import { ExportJobQueue } from './export-job.queue';
import { ExportJobRepository } from './export-job.repository';
import { ExportStorage } from './export-storage';
import { type ExportsPageView, type ExportView, exportView } from './exports.views';
import { ExportNotDownloadable, ExportNotFound } from './exports.errors';

export interface ExportStart {
  readonly delivery: ExportDelivery;
  readonly id: string;
  readonly total: number;
}

const LIST_LIMIT = 50;

/** A request names its client in the audit log explicitly, even when it has none. */
const fromRequest = (requester: ExportRequester): ExportRequester => ({
  actorId: requester.actorId,
  requestId: requester.requestId ?? null,
  ip: requester.ip ?? null,
  userAgent: requester.userAgent ?? null,
});

/**
 * Auditor exports: small ones stream straight back, large ones run as background jobs that
 * write to storage. Every request, completion, failure and download is in the audit log.
 */
@Injectable()
export class ExportsService {
  constructor(
    private readonly jobs: ExportJobRepository,
    private readonly lifecycle: ExportJobLifecycle,
    private readonly exporter: AttestationExporter,
    private readonly attestations: ExportAttestationRepository,
    private readonly queue: ExportJobQueue,
    private readonly storage: ExportStorage,
    private readonly controls: ControlsService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async overview(csrfToken: string): Promise<ExportsPageView> {
    const recent = await this.jobs.recent(LIST_LIMIT);
    return {
      title: 'Evidence exports',
      csrfToken,
      streamLimit: this.config.exportStreamLimit,
      controls: this.controls.list().map((c) => ({ id: c.id, label: `${c.framework} ${c.title}` })),
      departments: await this.attestations.departments(),
      exports: recent.map((job) => exportView(job)),
    };
  }

  /** How many sealed PDFs the filters select: none means there is nothing to export. */
  count(filters: ExportFilters): Promise<number> {
    return this.exporter.count(filters);
  }

  /**
   * Records the export and decides how it is delivered: up to EXPORT_STREAM_LIMIT PDFs (300,
   * about 20 MB) the ZIP is the answer to the request itself; more goes to a background job,
   * so no request holds a connection for minutes. `background` forces a job (the API polls).
   */
  async request(
    requester: ExportRequester,
    filters: ExportFilters,
    options: { background?: boolean } = {},
  ): Promise<ExportStart> {
    const total = await this.exporter.count(filters);
    const streamed = !options.background && total <= this.config.exportStreamLimit;
    const id = randomUUID();
    const now = this.clock.now();
    const delivery = streamed ? ExportDelivery.Streamed : ExportDelivery.Stored;
    await this.lifecycle.open(
      fromRequest(requester),
      {
        id,
        status: streamed ? ExportStatus.Running : ExportStatus.Queued,
        delivery,
        filters,
        total,
        createdAt: now,
      },
      delivery,
    );
    if (streamed) return { delivery: ExportDelivery.Streamed, id, total };
    try {
      await this.queue.enqueue(id);
    } catch (error) {
      await this.jobs.failed(id, 'The export could not be queued. Start it again.', now);
      throw error;
    }
    return { delivery: ExportDelivery.Stored, id, total };
  }

  /** Writes a small export straight to the response. A failure cuts the response off. */
  async stream(requester: ExportRequester, id: string, out: Writable): Promise<void> {
    const job = await this.jobs.findById(id);
    if (job?.delivery !== ExportDelivery.Streamed || job.status !== ExportStatus.Running) {
      throw new ExportNotFound();
    }
    await this.lifecycle.write(
      fromRequest(requester),
      { id, filters: job.filters, generatedAt: job.createdAt },
      { out, commit: () => Promise.resolve(), discard: () => Promise.resolve() },
      {
        reasonFor: () => 'The download was interrupted. Start the export again.',
        failedDetails: {},
      },
    );
  }

  async show(id: string, options: { refresh?: boolean } = {}): Promise<ExportView> {
    return exportView(await this.find(id), options);
  }

  async find(id: string): Promise<ExportJob> {
    const job = await this.jobs.findById(id);
    if (!job) throw new ExportNotFound();
    return job;
  }

  /** The stored ZIP of a finished background export; the download is recorded first. */
  async download(requester: ExportRequester, id: string) {
    const job = await this.find(id);
    if (job.delivery === ExportDelivery.Streamed) {
      throw new ExportNotDownloadable(
        'This export was downloaded when it was made and is not kept. Start a new export.',
      );
    }
    if (job.status === ExportStatus.Expired) {
      throw new ExportNotDownloadable(
        'This export’s ZIP was deleted under the retention policy. Start a new export.',
      );
    }
    if (job.status !== ExportStatus.Done) {
      throw new ExportNotDownloadable('This export is not finished yet. Wait for it to be done.');
    }
    const file = await this.storage.openRead(id);
    if (!file) {
      throw new ExportNotDownloadable('The export file is no longer stored. Start a new export.');
    }
    await this.lifecycle.downloaded(fromRequest(requester), job);
    return { ...file, fileName: exportFileName(job), sha256: job.sha256 ?? null };
  }
}

/** attest-export-2026-11-23-1a2b3c4d.zip: sorts by date, and names the export it is. */
export function exportFileName(job: Pick<ExportJob, 'id' | 'createdAt'>): string {
  return `attest-export-${new Date(job.createdAt).toISOString().slice(0, 10)}-${job.id.slice(0, 8)}.zip`;
}
