import { Module } from '@nestjs/common';
import { AttestationsModule } from '../attestations/attestations.module';
import { RequirementsModule } from '../requirements/requirements.module';
import { SignatureRecorder } from './signature-recorder';
import { SignatureRepository } from './signature.repository';

/**
 * Acknowledgements of every kind (document signatures, training passes) and the one path that
 * records them with their evidence and sealed attestation.
 */
@Module({
  imports: [AttestationsModule, RequirementsModule],
  providers: [SignatureRecorder, SignatureRepository],
  exports: [SignatureRecorder, SignatureRepository],
})
export class SignaturesModule {}
