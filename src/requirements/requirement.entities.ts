import { OnboardingSummarySchema } from './onboarding-summary.entity';
import { RequirementAssignmentSchema } from './requirement-assignment.entity';
import { RequirementCompletionSchema } from './requirement-completion.entity';
import { RequirementWaiverSchema } from './requirement-waiver.entity';

/** To be listed in src/database/entities.ts. */
export const REQUIREMENT_ENTITIES = [
  RequirementAssignmentSchema,
  RequirementCompletionSchema,
  RequirementWaiverSchema,
  OnboardingSummarySchema,
];
