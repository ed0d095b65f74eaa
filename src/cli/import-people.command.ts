import { readFile, stat } from 'node:fs/promises';
import { AuditEventRepository } from '../audit/audit-event.repository';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import type { AppConfig } from '../config/app-config';
import { assertSchemaCurrent } from '../database/migration.runner';
import { MAX_FILE_BYTES } from '../people/import/people-csv.parser';
import { PeopleImportService } from '../people/import/people-import.service';
import { PersonRepository } from '../people/person.repository';
import { withOrm } from './cli-context';
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
 * `attest import people FILE.csv`: the same import as HR's upload page, recorded in the audit
 * log with the actor "cli". Prints the counts, or every problem; exit 1 writes nothing.
 */
export async function runImportPeople(config: AppConfig, file: string, io: CliIo): Promise<number> {
  const bytes = await readCsv(file);
  if (typeof bytes === 'string') {
    io.err(bytes);
    return EXIT_USAGE;
  }
  return withOrm(config, async (orm) => {
    await assertSchemaCurrent(orm);
    const clock = new Clock();
    const importer = new PeopleImportService(
      new PersonRepository(orm.em),
      new AuditService(new AuditEventRepository(orm.em), clock),
      clock,
    );
    const outcome = await importer.import('cli', bytes);
    if (!outcome.ok) {
      io.err(`${file} was not imported: ${outcome.errors.length} problem(s). Nothing was written.`);
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
  });
}
