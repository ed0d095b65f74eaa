import { Module } from '@nestjs/common';
import { DocumentPublicationsReader } from './document-publications.reader';
import { RequirementAssignmentRepository } from './requirement-assignment.repository';
import { RequirementCompletionRepository } from './requirement-completion.repository';
import { RequirementInputsRepository } from './requirement-inputs.repository';
import { REQUIREMENTS_FILE, RequirementRules } from './requirement-rules';
import { DEFAULT_REQUIREMENTS_FILE } from './requirements-file.loader';
import { RequirementWaiverRepository } from './requirement-waiver.repository';
import { RequirementsService } from './requirements.service';

/** Who must do what by when: the rules file, derivation, completions and waivers. */
@Module({
  providers: [
    { provide: REQUIREMENTS_FILE, useValue: DEFAULT_REQUIREMENTS_FILE },
    RequirementRules,
    DocumentPublicationsReader,
    RequirementInputsRepository,
    RequirementAssignmentRepository,
    RequirementCompletionRepository,
    RequirementWaiverRepository,
    RequirementsService,
  ],
  exports: [RequirementsService],
})
export class RequirementsModule {}
