import { ApiTokenSchema } from './api-token.entity';

/** To be listed in src/database/entities.ts. */
export const API_TOKEN_ENTITIES = [ApiTokenSchema];
