import { readFile, stat } from 'node:fs/promises';
import type { AppConfig } from '../config/app-config';
import { MAX_FILE_BYTES } from '../people/import/people-csv.parser';
import { PeopleImportModule } from '../people/import/people-import.module';
import { PeopleImportService } from '../people/import/people-import.service';
import { withAppContext } from './cli-context';
import { type CliIo, EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './cli-io';

/** The file's bytes, or a message saying why it cannot be read (a command-line mistake). */
async function readCsv(file: string): Promise<Buffer | string> {
  try {
    const info = await stat(file);
    if (!info.isFile()) return `${file} is not a file.`;
    // Checked before reading, so a huge file is not loaded only to be refused.
    if (info.size > MAX_FILE_BYTES) {
      return `${file} is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB. Split it into smaller files.`;
    }
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? `${file} does not exist.` : `${file} cannot be read (${code}).`;
  }
}

/**
 * `attest import people FILE.csv`: the same import as HR's upload page, with the same
 * consequences (requirements derived again, leavers and changed identities signed out),
 * recorded in the audit log with the actor "cli". Prints the counts, or every problem; exit 1
 * writes nothing. A schema that is behind is refused rather than migrated.
 */
export async function runImportPeople(config: AppConfig, file: string, io: CliIo): Promise<number> {
  const bytes = await readCsv(file);
  if (typeof bytes === 'string') {
    io.err(bytes);
    return EXIT_USAGE;
  }
  return withAppContext(
    config,
    [PeopleImportModule],
    async (context) => {
      const outcome = await context.get(PeopleImportService).import('cli', bytes);
      if (!outcome.ok) {
        io.err(
          `${file} was not imported: ${outcome.errors.length} problem(s). Nothing was written.`,
        );
        for (const e of outcome.errors) {
          const where = [
            e.line === null ? 'file' : `line ${e.line}`,
            e.column === null ? undefined : `column ${e.column}`,
          ]
            .filter(Boolean)
            .join(', ');
          io.err(`${where}: ${e.message}`);
        }
        return EXIT_FAILED;
      }
      io.out(
        `Imported ${file}: ${outcome.created} created, ${outcome.updated} updated, ${outcome.unchanged} unchanged.`,
      );
      return EXIT_OK;
    },
    'require-current',
  );
}
