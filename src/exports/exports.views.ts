import { describeFilters, type ExportFilters } from './export-filters';
import { ExportDelivery, type ExportJob, ExportStatus } from './export-job.entity';

/** Seconds between the progress page's reloads while a job runs (meta refresh, no script). */
export const PROGRESS_REFRESH_SECONDS = 2;

const STATUS_LABELS: Record<ExportStatus, string> = {
  [ExportStatus.Queued]: 'Waiting to start',
  [ExportStatus.Running]: 'Running',
  [ExportStatus.Done]: 'Done',
  [ExportStatus.Failed]: 'Failed',
};

export interface ExportView {
  readonly title: string;
  readonly id: string;
  readonly status: ExportStatus;
  readonly statusLabel: string;
  readonly unfinished: boolean;
  /** Set only while unfinished: the layout then adds the meta refresh. */
  readonly refreshSeconds?: number;
  readonly streamed: boolean;
  readonly total: number;
  readonly done: number;
  readonly percent: number;
  readonly filters: ExportFilters;
  readonly filtersText: string;
  readonly sha256: string | null;
  readonly size: string | null;
  readonly error: string | null;
  readonly createdAt: string;
  readonly finishedAt: string | null;
  readonly url: string;
  readonly downloadUrl: string | null;
}

export interface ExportsPageView {
  readonly title: string;
  readonly csrfToken: string;
  readonly streamLimit: number;
  readonly controls: readonly { id: string; label: string }[];
  readonly departments: readonly string[];
  readonly exports: readonly ExportView[];
}

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

function megabytes(size: number | null | undefined): string | null {
  if (size === null || size === undefined) return null;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}

/** A job as pages show it; `refresh: false` stops the reloads (WCAG 2.2.1: timing adjustable). */
export function exportView(job: ExportJob, options: { refresh?: boolean } = {}): ExportView {
  const unfinished = job.status === ExportStatus.Queued || job.status === ExportStatus.Running;
  const stored = job.delivery === ExportDelivery.Stored;
  return {
    title: 'Evidence export',
    id: job.id,
    status: job.status,
    statusLabel: STATUS_LABELS[job.status],
    unfinished,
    ...(unfinished && stored && options.refresh !== false
      ? { refreshSeconds: PROGRESS_REFRESH_SECONDS }
      : {}),
    streamed: !stored,
    total: job.total,
    done: job.doneCount,
    percent: job.total > 0 ? Math.floor((job.doneCount / job.total) * 100) : unfinished ? 0 : 100,
    filters: job.filters,
    filtersText: describeFilters(job.filters),
    sha256: job.sha256 ?? null,
    size: megabytes(job.size),
    error: job.error ?? null,
    createdAt: iso(job.createdAt)!,
    finishedAt: iso(job.finishedAt),
    url: `/exports/${job.id}`,
    downloadUrl: stored && job.status === ExportStatus.Done ? `/exports/${job.id}/download` : null,
  };
}
