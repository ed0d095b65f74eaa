import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiTokensModule } from '../api-tokens/api-tokens.module';
import { AccessGuard } from './access.guard';
import { ApiTokenGuard } from './api-token.guard';
import { CsrfGuard } from './csrf.guard';

/** Global guards, in order: who may reach the route, then whether the form came from us. */
@Module({
  // The token guard authenticates bearer tokens with ApiTokensModule's authenticator.
  imports: [ApiTokensModule],
  providers: [
    // First: turns a bearer token into req.apiClient on @ApiToken routes, before access is decided.
    { provide: APP_GUARD, useClass: ApiTokenGuard },
    { provide: APP_GUARD, useClass: AccessGuard },
    { provide: APP_GUARD, useClass: CsrfGuard },
  ],
})
export class AccessModule {}
