import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { join } from 'node:path';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { DatabaseEndpoint } from '../database/embedded-postgres';
import { ExportStorage } from '../exports/export-storage';
import { PeopleModule } from '../people/people.module';
import { LegalHoldRepository } from './legal-hold.repository';
import { LegalHoldsController } from './legal-holds.controller';
import { LegalHoldsService } from './legal-holds.service';
import { RETENTION_FILE_NAME, loadRetentionPolicy } from './retention-file.loader';
import {
  InProcessRetentionJobs,
  NoRetentionJobs,
  PgBossRetentionJobs,
  RetentionJobs,
} from './retention-jobs';
import { RETENTION_POLICY } from './retention-policy';
import { RetentionPurgers } from './retention-purgers';
import { RetentionRecordsRepository } from './retention-records.repository';
import { RetentionService } from './retention.service';

type Database = Pick<DatabaseEndpoint, 'clientUrl' | 'embedded'>;

/** The policy, read and validated when the module starts, and what applies it. */
function coreProviders(): Provider[] {
  return [
    {
      provide: RETENTION_POLICY,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        loadRetentionPolicy(join(config.policiesDir, RETENTION_FILE_NAME)),
    },
    ExportStorage,
    RetentionRecordsRepository,
    RetentionPurgers,
    RetentionService,
  ];
}

function jobsFor(config: AppConfig, database: Database): Provider {
  if (!config.retentionBackground) return { provide: RetentionJobs, useClass: NoRetentionJobs };
  return database.embedded
    ? { provide: RetentionJobs, useClass: InProcessRetentionJobs }
    : {
        provide: RetentionJobs,
        inject: [RetentionService],
        useFactory: (retention: RetentionService) =>
          new PgBossRetentionJobs(retention, database.clientUrl),
      };
}

/**
 * Retention (policies/retention.yml): what is kept how long, the purge that applies it (the
 * daily job and `attest retention`), and legal holds, which stop it for a person.
 */
@Module({})
export class RetentionModule {
  static forRoot(config: AppConfig, database: Database): DynamicModule {
    return {
      module: RetentionModule,
      imports: [PeopleModule],
      controllers: [LegalHoldsController],
      providers: [
        ...coreProviders(),
        jobsFor(config, database),
        LegalHoldRepository,
        LegalHoldsService,
      ],
      exports: [RetentionService],
    };
  }

  /** For `attest retention`: the policy and the purge, without pages or background jobs. */
  static forCli(): DynamicModule {
    return { module: RetentionModule, providers: coreProviders(), exports: [RetentionService] };
  }
}
