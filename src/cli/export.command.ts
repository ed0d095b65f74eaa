import { resolve } from 'node:path';
import type { AppConfig } from '../config/app-config';
import { ExportArchiveModule } from '../exports/export-archive.module';
import { describeFilters, type ExportFilters, parseExportFilters } from '../exports/export-filters';
import { ExportFiltersInvalid } from '../exports/exports.errors';
import { FileExportsService } from '../exports/file-exports.service';
import { withAppContext } from './cli-context';
import { type CliIo, EXIT_OK, EXIT_USAGE } from './cli-io';

export interface ExportCommandOptions {
  readonly out: string;
  readonly from?: string;
  readonly to?: string;
  readonly department?: string;
  readonly control?: string;
}

const CLI_ACTOR = 'cli';
/** Progress lines at most this often, so a large export does not flood the terminal. */
const PROGRESS_EVERY_MS = 1000;

/**
 * `attest export --out FILE.zip [--from] [--to] [--department] [--control]`: the auditor export
 * as a file. Progress goes to stderr, the summary (with the ZIP's SHA-256) to stdout.
 */
export async function runExport(
  config: AppConfig,
  options: ExportCommandOptions,
  io: CliIo,
): Promise<number> {
  let filters: ExportFilters;
  try {
    filters = parseExportFilters({ ...options });
  } catch (error) {
    if (!(error instanceof ExportFiltersInvalid)) throw error;
    io.err(error.message);
    return EXIT_USAGE;
  }
  const out = resolve(options.out);
  return withAppContext(config, [ExportArchiveModule], async (context) => {
    const exports = context.get(FileExportsService);
    const started = Date.now();
    let shown = 0;
    try {
      io.err(`Exporting ${describeFilters(filters)} to ${out}…`);
      const result = await exports.exportTo(CLI_ACTOR, filters, out, ({ total, done }) => {
        if (Date.now() - shown < PROGRESS_EVERY_MS && done < total) return;
        shown = Date.now();
        io.err(`  ${done.toLocaleString('en')} of ${total.toLocaleString('en')} PDFs`);
      });
      io.out(
        `Exported ${result.count} attestation(s) to ${out} in ${((Date.now() - started) / 1000).toFixed(1)} s: ${result.size} bytes, SHA-256 ${result.sha256}, export id ${result.exportId}.`,
      );
      return EXIT_OK;
    } catch (error) {
      if (!(error instanceof ExportFiltersInvalid)) throw error;
      io.err(error.message);
      return EXIT_USAGE;
    }
  });
}
