import { join } from 'node:path';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { Module } from '@nestjs/common';
import { DocumentPublicationsReader } from './document-publications.reader';
import { RequirementAssignmentRepository } from './requirement-assignment.repository';
import { RequirementCompletionRepository } from './requirement-completion.repository';
import { RequirementInputsRepository } from './requirement-inputs.repository';
import { REQUIREMENTS_FILE, RequirementRules } from './requirement-rules';
import { REQUIREMENTS_FILE_NAME } from './requirements-file.loader';
import { RequirementWaiverRepository } from './requirement-waiver.repository';
import { RequirementsService } from './requirements.service';

/** Who must do what by when: the rules file, derivation, completions and waivers. */
@Module({
  providers: [
    {
      provide: REQUIREMENTS_FILE,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => join(config.policiesDir, REQUIREMENTS_FILE_NAME),
    },
    RequirementRules,
    DocumentPublicationsReader,
    RequirementInputsRepository,
    RequirementAssignmentRepository,
    RequirementCompletionRepository,
    RequirementWaiverRepository,
    RequirementsService,
  ],
  // RequirementRules: the admin configuration page lists the rules in force.
  exports: [RequirementsService, RequirementRules],
})
export class RequirementsModule {}
