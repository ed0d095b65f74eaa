import { applyDecorators, Controller, UseFilters, UseGuards } from '@nestjs/common';
import { Throttle } from '@nestjs/throttler';
import { ApiToken } from '../access/api-token.guard';
import { ApiTokenRole } from '../api-tokens/api-token.entity';
import { AuthThrottlerGuard, IP_THROTTLER, RateLimitBucket } from '../auth/auth-throttler.guard';
import { ScimErrorFilter } from './scim-error.filter';
import { SCIM_LIMIT_PER_MINUTE } from './scim-request';

/**
 * A SCIM controller at `path`: identity providers only (a `scim` API token, never a session),
 * every failure as a SCIM Error resource (RFC 7644 §3.12), and its own rate-limit budget.
 */
export const ScimEndpoint = (path: string) =>
  applyDecorators(
    ApiToken(ApiTokenRole.Scim),
    UseFilters(ScimErrorFilter),
    UseGuards(AuthThrottlerGuard),
    RateLimitBucket('scim'),
    Throttle({ [IP_THROTTLER]: { limit: SCIM_LIMIT_PER_MINUTE, ttl: 60_000 } }),
    Controller(path),
  );
