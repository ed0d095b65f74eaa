import { defineEntity, p } from '@mikro-orm/core';
import { ExportJobSchema } from './export-job.entity';

export const ExportFileChunkSchema = defineEntity({
  name: 'ExportFileChunk',
  tableName: 'export_file_chunk',
  // A finished export's ZIP, in numbered chunks of a few MiB: every instance behind the load
  // balancer can serve the download, a ZIP may exceed bytea's 1 GB, and a download streams one
  // chunk at a time without holding a connection between them.
  properties: {
    exportJob: () => p.manyToOne(ExportJobSchema).primary().deleteRule('cascade'),
    seq: p.integer().primary(),
    bytes: p.blob(),
  },
});

/** One piece of a stored export ZIP. */
export class ExportFileChunk extends ExportFileChunkSchema.class {}
ExportFileChunkSchema.setClass(ExportFileChunk);
