import { type DynamicModule, Module, type Type } from '@nestjs/common';
import type { DestinationStream } from 'pino';
import { AccessModule } from './access/access.module';
import { ApiTokensModule } from './api-tokens/api-tokens.module';
import { VerifyModule } from './attestations/verify.module';
import { AuditModule } from './audit/audit.module';
import { AuditorsModule } from './auditors/auditors.module';
import { AuthModule } from './auth/auth.module';
import { BackgroundChecksModule } from './background-checks/background-checks.module';
import { CommonModule } from './common/common.module';
import { DocumentsModule } from './documents/documents.module';
import { OffboardingModule } from './offboarding/offboarding.module';
import type { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import type { DatabaseEndpoint } from './database/embedded-postgres';
import { ExportsModule } from './exports/exports.module';
import { HealthModule } from './health/health.module';
import { HomeModule } from './home/home.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { NotificationsModule } from './notifications/notifications.module';
import { OnboardingModule } from './onboarding/onboarding.module';
import { PeopleChangesModule } from './people-changes/people-changes.module';
import { RequirementsModule } from './requirements/requirements.module';
import { RetentionModule } from './retention/retention.module';
import { ScimModule } from './scim/scim.module';
import { TrainingModule } from './training/training.module';

export interface AppModuleOptions {
  config: AppConfig;
  database: DatabaseEndpoint;
  /** Where log lines go; standard output unless a test captures them. */
  logDestination?: DestinationStream;
  /** Modules added after the features; tests mount probe routes this way. */
  extraModules?: Array<Type | DynamicModule>;
}

@Module({})
export class AppModule {
  static forRoot({
    config,
    database,
    logDestination,
    extraModules = [],
  }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        CommonModule,
        LoggingModule.forRoot(config, logDestination),
        DatabaseModule.forRoot(database),
        AccessModule,
        AuditModule,
        AuthModule.forRoot(config),
        HealthModule,
        MetricsModule,
        HomeModule,
        RequirementsModule,
        OnboardingModule,
        PeopleChangesModule,
        ApiTokensModule,
        BackgroundChecksModule,
        DocumentsModule,
        OffboardingModule,
        VerifyModule,
        TrainingModule,
        ScimModule,
        AuditorsModule,
        ExportsModule.forRoot(database),
        NotificationsModule.forRoot(config, database),
        RetentionModule.forRoot(config, database),
        ...extraModules,
      ],
    };
  }
}
