import { Global, Module } from '@nestjs/common';
import { ApiTokenAuthenticator } from '../access/api-token.guard';
import { ApiTokenRepository } from './api-token.repository';
import { ApiTokensService } from './api-tokens.service';

/** Global so that the access guards can authenticate bearer tokens on any /api/v1 route. */
@Global()
@Module({
  providers: [
    ApiTokenRepository,
    ApiTokensService,
    { provide: ApiTokenAuthenticator, useExisting: ApiTokensService },
  ],
  exports: [ApiTokensService, ApiTokenAuthenticator],
})
export class ApiTokensModule {}
