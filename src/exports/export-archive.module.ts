import { Module } from '@nestjs/common';
import { AttestationsModule } from '../attestations/attestations.module';
import { AuditorsModule } from '../auditors/auditors.module';
import { NotificationOutboxModule } from '../notifications/notification-outbox.module';
import { AttestationExporter } from './attestation-exporter';
import { ExportAttestationRepository } from './export-attestation.repository';
import { ExportJobLifecycle } from './export-job.lifecycle';
import { ExportJobRepository } from './export-job.repository';
import { ExportZipVerifier } from './export-zip-verifier';
import { FileExportsService } from './file-exports.service';

/**
 * Writing and checking export ZIPs, without pages or jobs: what `attest export` and
 * `attest verify` need, and what ExportsModule builds on.
 */
@Module({
  imports: [AttestationsModule, AuditorsModule, NotificationOutboxModule],
  providers: [
    ExportAttestationRepository,
    ExportJobRepository,
    ExportJobLifecycle,
    AttestationExporter,
    ExportZipVerifier,
    FileExportsService,
  ],
  exports: [
    AttestationsModule,
    ExportAttestationRepository,
    ExportJobRepository,
    ExportJobLifecycle,
    AttestationExporter,
    ExportZipVerifier,
    FileExportsService,
  ],
})
export class ExportArchiveModule {}
