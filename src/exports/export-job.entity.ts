import { defineEntity, p } from '@mikro-orm/core';
import type { ExportFilters } from './export-filters';

export enum ExportStatus {
  Queued = 'queued',
  Running = 'running',
  Done = 'done',
  Failed = 'failed',
  /** Done, and its stored ZIP deleted under the retention policy; the record stays. */
  Expired = 'expired',
}

/** How the ZIP reaches the auditor. */
export enum ExportDelivery {
  /** Small: streamed as the response to the request that asked for it, never stored. */
  Streamed = 'streamed',
  /** Large: written by a background job into export_file_chunk, downloaded later. */
  Stored = 'stored',
}

export const ExportJobSchema = defineEntity({
  name: 'ExportJob',
  tableName: 'export_job',
  properties: {
    /** Also the `exportId` in the ZIP's manifest.json. */
    id: p.uuid().primary(),
    status: p.enum(() => ExportStatus),
    delivery: p.enum(() => ExportDelivery),
    filters: p.json<ExportFilters>(),
    /** Attestations matching the filters when the export was asked for. */
    total: p.integer(),
    /** Attestations written to the ZIP so far. */
    doneCount: p.integer(),
    /** SHA-256 (hex) of the whole ZIP, once written. */
    sha256: p.string().length(64).nullable(),
    size: p.bigint('number').nullable(),
    /** Why it failed, in words for the auditor; never personal data or internals. */
    error: p.string().length(300).nullable(),
    /** A person id, or `auditor:<token name>` for the API. */
    requestedBy: p.string().length(150),
    createdAt: p.datetime().index(),
    startedAt: p.datetime().nullable(),
    finishedAt: p.datetime().nullable(),
  },
});

/** One export of sealed attestations: its filters, its progress and the ZIP's digest. */
export class ExportJob extends ExportJobSchema.class {}
ExportJobSchema.setClass(ExportJob);
