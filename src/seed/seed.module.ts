import { type DynamicModule, Module } from '@nestjs/common';
import { AttestationsModule } from '../attestations/attestations.module';
import { AuditModule } from '../audit/audit.module';
import { CommonModule } from '../common/common.module';
import type { AppConfig } from '../config/app-config';
import { ConfigModule } from '../config/config.module';
import { DatabaseModule } from '../database/database.module';
import type { DatabaseEndpoint } from '../database/embedded-postgres';
import { DocumentSyncModule } from '../documents/document-sync.module';
import { RequirementsModule } from '../requirements/requirements.module';
import { SignaturesModule } from '../signatures/signatures.module';
import { AttestationSeeder } from './attestation-seeder';
import { SeedService } from './seed.service';

/** Just what seeding needs, for `attest seed` and the benchmarks. */
@Module({})
export class SeedModule {
  static forRoot(config: AppConfig, database: DatabaseEndpoint): DynamicModule {
    return {
      module: SeedModule,
      imports: [
        ConfigModule.forRoot(config),
        CommonModule,
        DatabaseModule.forRoot(database),
        AuditModule,
        RequirementsModule,
        DocumentSyncModule,
        AttestationsModule,
        SignaturesModule,
      ],
      providers: [AttestationSeeder, SeedService],
      exports: [SeedService],
    };
  }
}
