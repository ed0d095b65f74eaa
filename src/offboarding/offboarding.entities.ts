import { OffboardingTaskRecordSchema } from './offboarding-task-record.entity';
import { SigningLinkSchema } from './signing-link.entity';

export const OFFBOARDING_ENTITIES = [OffboardingTaskRecordSchema, SigningLinkSchema];
