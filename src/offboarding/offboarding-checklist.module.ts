import { Module } from '@nestjs/common';
import { RequirementsModule } from '../requirements/requirements.module';
import { OffboardingChecklistService } from './offboarding-checklist.service';
import { OffboardingDocuments } from './offboarding-documents.reader';
import { SigningLinksService } from './signing-links.service';

/**
 * The checklist and the signing links, without controllers: the person page (PeopleModule)
 * shows the checklist, and OffboardingModule, which needs documents and so people, acts on it.
 */
@Module({
  imports: [RequirementsModule],
  providers: [OffboardingChecklistService, OffboardingDocuments, SigningLinksService],
  exports: [OffboardingChecklistService, OffboardingDocuments, SigningLinksService],
})
export class OffboardingChecklistModule {}
