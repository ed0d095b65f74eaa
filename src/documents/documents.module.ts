import { Module } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config';
import { PeopleModule } from '../people/people.module';
import { RequirementsModule } from '../requirements/requirements.module';
import { DocumentSyncService, POLICIES_DIR } from './document-sync.service';
import { DocumentVersionRepository } from './document-version.repository';
import { DocumentViewRepository } from './document-view.repository';
import { DocumentsController } from './documents.controller';
import { DocumentsService } from './documents.service';
import { EsignConsentRepository } from './esign-consent.repository';
import { MarkdownRenderer } from './markdown.renderer';
import { SignatureReportController } from './signature-report.controller';
import { SignatureReportRepository } from './signature-report.repository';
import { SignatureReportService } from './signature-report.service';
import { SignatureRepository } from './signature.repository';
import { SigningService } from './signing.service';

/** Versioned documents from policies/, ESIGN consent, reading and signing. */
@Module({
  imports: [PeopleModule, RequirementsModule],
  controllers: [DocumentsController, SignatureReportController],
  providers: [
    {
      provide: POLICIES_DIR,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => config.policiesDir,
    },
    DocumentSyncService,
    DocumentVersionRepository,
    DocumentViewRepository,
    EsignConsentRepository,
    SignatureRepository,
    SignatureReportRepository,
    SignatureReportService,
    SigningService,
    DocumentsService,
    MarkdownRenderer,
  ],
  exports: [
    DocumentSyncService,
    DocumentVersionRepository,
    SignatureRepository,
    SigningService,
    MarkdownRenderer,
  ],
})
export class DocumentsModule {}
