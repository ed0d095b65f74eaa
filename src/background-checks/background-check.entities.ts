import { BackgroundCheckEventSchema } from './background-check-event.entity';
import { BackgroundCheckSchema } from './background-check.entity';

/** To be listed in src/database/entities.ts. */
export const BACKGROUND_CHECK_ENTITIES = [BackgroundCheckSchema, BackgroundCheckEventSchema];
