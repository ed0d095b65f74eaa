import { Module } from '@nestjs/common';
import { AttestationsModule } from '../attestations/attestations.module';
import { DocumentSyncModule } from '../documents/document-sync.module';
import { RequirementsModule } from '../requirements/requirements.module';
import { SignaturesModule } from '../signatures/signatures.module';
import { AttestationSeeder } from './attestation-seeder';
import { DemoOrganisationService } from './demo-organisation.service';
import { SeedService } from './seed.service';

/**
 * The demo organisation, loaded lazily by the app's start in development only, so a production
 * start never instantiates it. Config, database, clock and audit are global in the app.
 */
@Module({
  imports: [RequirementsModule, DocumentSyncModule, AttestationsModule, SignaturesModule],
  providers: [AttestationSeeder, SeedService, DemoOrganisationService],
  exports: [DemoOrganisationService],
})
export class DemoDataModule {}
