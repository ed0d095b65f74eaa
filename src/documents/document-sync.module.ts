import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { RequirementsModule } from '../requirements/requirements.module';
import { DocumentSyncService, POLICIES_DIR } from './document-sync.service';
import { DocumentVersionRepository } from './document-version.repository';

/** Publishing policies/ as versions: used by the app at start and by `attest documents sync`. */
@Module({
  imports: [RequirementsModule],
  providers: [
    {
      provide: POLICIES_DIR,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => config.policiesDir,
    },
    DocumentSyncService,
    DocumentVersionRepository,
  ],
  exports: [DocumentSyncService, DocumentVersionRepository],
})
export class DocumentSyncModule {}
