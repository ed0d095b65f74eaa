import type { AppConfig } from '../config/app-config';
import { DocumentSyncModule } from '../documents/document-sync.module';
import { DocumentSyncService } from '../documents/document-sync.service';
import { withAppContext } from './cli-context';
import { type CliIo, EXIT_OK } from './cli-io';

/** `attest documents sync`: publish new versions from policies/, or refuse naming the file. */
export function runDocumentsSync(config: AppConfig, io: CliIo): Promise<number> {
  return withAppContext(config, [DocumentSyncModule], async (context) => {
    const report = await context.get(DocumentSyncService).sync();
    for (const { documentId, version } of report.published) {
      io.out(`published ${documentId} ${version}`);
    }
    io.out(
      `${report.published.length} new version(s) published, ${report.unchanged} document(s) unchanged (${config.policiesDir}).`,
    );
    return EXIT_OK;
  });
}
