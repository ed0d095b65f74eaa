import { Module } from '@nestjs/common';
import { SessionsModule } from '../auth/sessions/sessions.module';
import { PeopleModule } from '../people/people.module';
import { RequirementsModule } from '../requirements/requirements.module';
import { SignaturesModule } from '../signatures/signatures.module';
import { DocumentSyncModule } from './document-sync.module';
import { DocumentViewRepository } from './document-view.repository';
import { DocumentsController } from './documents.controller';
import { DocumentsService } from './documents.service';
import { EsignCeremony } from './esign-ceremony';
import { EsignCeremonyRepository } from './esign-ceremony.repository';
import { EsignConsentRepository } from './esign-consent.repository';
import { MarkdownRenderer } from './markdown.renderer';
import { SignatureReportController } from './signature-report.controller';
import { SignatureReportRepository } from './signature-report.repository';
import { SignatureReportService } from './signature-report.service';
import { SigningService } from './signing.service';

/** Versioned documents from policies/, ESIGN consent, reading and signing. */
@Module({
  imports: [DocumentSyncModule, PeopleModule, RequirementsModule, SessionsModule, SignaturesModule],
  controllers: [DocumentsController, SignatureReportController],
  providers: [
    DocumentViewRepository,
    EsignCeremonyRepository,
    EsignConsentRepository,
    EsignCeremony,
    SignatureReportRepository,
    SignatureReportService,
    SigningService,
    DocumentsService,
    MarkdownRenderer,
  ],
  // DocumentsService and SigningService: a leaver's one-time link reads and signs (src/offboarding/).
  exports: [DocumentSyncModule, EsignCeremony, MarkdownRenderer, DocumentsService, SigningService],
})
export class DocumentsModule {}
