import { Module } from '@nestjs/common';
import { AttestationsModule } from '../attestations/attestations.module';
import { PeopleModule } from '../people/people.module';
import { RequirementsModule } from '../requirements/requirements.module';
import { DocumentSyncModule } from './document-sync.module';
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
  imports: [AttestationsModule, DocumentSyncModule, PeopleModule, RequirementsModule],
  controllers: [DocumentsController, SignatureReportController],
  providers: [
    DocumentViewRepository,
    EsignConsentRepository,
    SignatureRepository,
    SignatureReportRepository,
    SignatureReportService,
    SigningService,
    DocumentsService,
    MarkdownRenderer,
  ],
  exports: [DocumentSyncModule, SignatureRepository, SigningService, MarkdownRenderer],
})
export class DocumentsModule {}
