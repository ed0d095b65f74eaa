import { Module } from '@nestjs/common';
import { SEAL_EXPORTS, SEAL_PROVIDERS } from './seal/seal.providers';
import { AttestationFilesService } from './attestation-files.service';
import { AttestationVerificationService } from './attestation-verification.service';
import { ComplianceSummaryService } from './compliance-summary.service';
import { MetricsModule } from '../metrics/metrics.module';
import { PeopleModule } from '../people/people.module';
import { RequirementsModule } from '../requirements/requirements.module';
import { AttestationRepository } from './attestation.repository';
import { AttestationsController } from './attestations.controller';
import { AttestationsService } from './attestations.service';
import { AttestationPdfPool } from './pdf/attestation-pdf.pool';
import { AttestationPdfRenderer } from './pdf/attestation-pdf.renderer';

/**
 * Sealed attestation PDFs: the seal (loaded and checked once at start, so a bad key stops the
 * start rather than the first signature), the sealer and the verifier.
 */
@Module({
  imports: [PeopleModule, RequirementsModule, MetricsModule],
  controllers: [AttestationsController],
  providers: [
    AttestationPdfPool,
    AttestationPdfRenderer,
    AttestationRepository,
    AttestationsService,
    AttestationFilesService,
    AttestationVerificationService,
    ComplianceSummaryService,
    ...SEAL_PROVIDERS,
  ],
  exports: [
    ...SEAL_EXPORTS,
    AttestationPdfRenderer,
    AttestationRepository,
    AttestationsService,
    AttestationVerificationService,
  ],
})
export class AttestationsModule {}
