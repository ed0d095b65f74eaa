import { OffboardingChecklistModule } from '../offboarding/offboarding-checklist.module';
import { NotificationOutboxModule } from '../notifications/notification-outbox.module';
import { DocumentSyncModule } from '../documents/document-sync.module';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { RequirementsModule } from '../requirements/requirements.module';
import { ApiDocs } from './api-docs/api-docs';
import { ApiDocsController } from './api-docs/api-docs.controller';
import { AuditorApiController } from './api/auditor-api.controller';
import { AuditorApiService } from './api/auditor-api.service';
import { AuditSampleRepository } from './audit-sample.repository';
import { ControlEvidenceRepository } from './control-evidence.repository';
import { CONTROLS_FILE, ControlMap } from './control-map';
import { CONTROLS_FILE_NAME } from './controls-file.loader';
import { ControlsController } from './controls.controller';
import { ControlsService } from './controls.service';
import { AuditorsHomeController } from './auditors-home.controller';
import { PersonEvidenceController } from './person-evidence.controller';
import { PersonEvidenceRepository } from './person-evidence.repository';
import { PersonEvidenceService } from './person-evidence.service';
import { PopulationRepository } from './population.repository';
import { PopulationsController } from './populations.controller';
import { PopulationsService } from './populations.service';
import { SamplesController } from './samples.controller';
import { SamplesService } from './samples.service';

/**
 * What auditors need besides the records themselves: populations for a period, recorded
 * samples, evidence by control, and the read-only API with its OpenAPI documentation.
 */
@Module({
  imports: [
    RequirementsModule,
    DocumentSyncModule,
    NotificationOutboxModule,
    OffboardingChecklistModule,
  ],
  controllers: [
    AuditorsHomeController,
    PopulationsController,
    PersonEvidenceController,
    SamplesController,
    ControlsController,
    AuditorApiController,
    ApiDocsController,
  ],
  providers: [
    {
      provide: CONTROLS_FILE,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => join(config.policiesDir, CONTROLS_FILE_NAME),
    },
    ControlMap,
    ControlEvidenceRepository,
    ControlsService,
    PopulationRepository,
    PopulationsService,
    AuditSampleRepository,
    SamplesService,
    PersonEvidenceRepository,
    PersonEvidenceService,
    AuditorApiService,
    ApiDocs,
  ],
  // For the export: filtering by control goes through ControlsService.subjectsFor.
  exports: [ControlsService],
})
export class AuditorsModule {}
