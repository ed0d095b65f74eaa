import { describeFilters, type ExportFilters } from './export-filters';
import { ExportDelivery, type ExportJob, ExportStatus } from './export-job.entity';

/** Seconds between the progress page's reloads while a job runs (meta refresh, no script). */
export const PROGRESS_REFRESH_SECONDS = 2;

const STATUS_LABELS: Record<ExportStatus, string> = {
  [ExportStatus.Queued]: 'Waiting to start',
  [ExportStatus.Running]: 'Running',
  [ExportStatus.Done]: 'Done',
  [ExportStatus.Failed]: 'Failed',
  [ExportStatus.Expired]: 'Expired: the ZIP was deleted under the retention policy',
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
  /** Finished with nothing selected: the page says so rather than offering an empty ZIP. */
  readonly empty: boolean;
}

/** The new-export form as typed, with what was wrong or that nothing matched. */
export interface ExportFormView {
  readonly from: string;
  readonly to: string;
  readonly department: string;
  readonly controlOptions: readonly { id: string; label: string; selected: boolean }[];
  readonly errors: Partial<Record<ExportField, string>>;
  readonly errorList: readonly { href: string; text: string }[];
  /** The filters were fine but select no sealed PDF. */
  readonly nothingMatched: string | null;
}

type ExportField = 'from' | 'to' | 'department' | 'control';

/** Which field a filter refusal is about, from the words parseExportFilters uses. */
function fieldOf(message: string): ExportField {
  if (message.startsWith('"From"')) return 'from';
  if (message.startsWith('"To"')) return 'to';
  if (message.startsWith('The department')) return 'department';
  // Too many PDFs: a shorter period is the usual way to narrow an export.
  if (message.startsWith('These filters select')) return 'from';
  return 'control';
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** The form with what was typed kept, a refusal beside its field, or "nothing matched". */
export function exportFormView(
  page: Pick<ExportsPageView, 'controls'>,
  typed: Record<string, unknown> = {},
  outcome: { error?: string; nothingMatched?: string } = {},
): ExportFormView {
  const errors: Partial<Record<ExportField, string>> = outcome.error
    ? { [fieldOf(outcome.error)]: outcome.error }
    : {};
  return {
    from: text(typed.from),
    to: text(typed.to),
    department: text(typed.department),
    controlOptions: page.controls.map((c) => ({ ...c, selected: c.id === typed.control })),
    errors,
    errorList: Object.entries(errors).map(([field, message]) => ({
      href: `#export-${field}`,
      text: message,
    })),
    nothingMatched: outcome.nothingMatched ?? null,
  };
}

export interface ExportsPageView {
  readonly title: string;
  readonly csrfToken: string;
  readonly streamLimit: number;
  readonly controls: readonly { id: string; label: string }[];
  readonly departments: readonly string[];
  readonly exports: readonly ExportView[];
  readonly form?: ExportFormView;
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
    empty: job.status === ExportStatus.Done && job.total === 0,
  };
}
