import { Module } from '@nestjs/common';
import { ApiTokenAuthenticator } from '../access/api-token.guard';
import { ApiTokenRepository } from './api-token.repository';
import { ApiTokensService } from './api-tokens.service';

/** Hashed bearer tokens; AccessModule imports it so that its guard can authenticate them. */
@Module({
  providers: [
    ApiTokenRepository,
    ApiTokensService,
    { provide: ApiTokenAuthenticator, useExisting: ApiTokensService },
  ],
  exports: [ApiTokensService, ApiTokenAuthenticator],
})
export class ApiTokensModule {}
