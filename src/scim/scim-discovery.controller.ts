import { Controller, Get, Header, Param, UseFilters, UseGuards } from '@nestjs/common';
import { Throttle } from '@nestjs/throttler';
import { ApiToken } from '../access/api-token.guard';
import { ApiTokenRole } from '../api-tokens/api-token.entity';
import { AuthThrottlerGuard, IP_THROTTLER, RateLimitBucket } from '../auth/auth-throttler.guard';
import { ScimError } from './scim.errors';
import { SCIM_CONTENT_TYPE, ScimErrorFilter } from './scim-error.filter';
import { SCIM_LIMIT_PER_MINUTE } from './scim-request';
import { listResponse, RESOURCE_TYPES, SCHEMAS, SERVICE_PROVIDER_CONFIG } from './scim-schemas';

/** RFC 7644 §4: what the service provider supports, for IdPs that read it before provisioning. */
@ApiToken(ApiTokenRole.Scim)
@UseFilters(ScimErrorFilter)
@UseGuards(AuthThrottlerGuard)
@RateLimitBucket('scim')
@Throttle({ [IP_THROTTLER]: { limit: SCIM_LIMIT_PER_MINUTE, ttl: 60_000 } })
@Controller('scim/v2')
export class ScimDiscoveryController {
  @Get('ServiceProviderConfig')
  @Header('Content-Type', SCIM_CONTENT_TYPE)
  serviceProviderConfig() {
    return SERVICE_PROVIDER_CONFIG;
  }

  @Get('ResourceTypes')
  @Header('Content-Type', SCIM_CONTENT_TYPE)
  resourceTypes() {
    return listResponse(RESOURCE_TYPES, RESOURCE_TYPES.length, 1);
  }

  @Get('ResourceTypes/:id')
  @Header('Content-Type', SCIM_CONTENT_TYPE)
  resourceType(@Param('id') id: string) {
    const found = RESOURCE_TYPES.find((r) => r.id === id);
    if (!found) throw new ScimError(404, `No ResourceType "${id}".`);
    return found;
  }

  @Get('Schemas')
  @Header('Content-Type', SCIM_CONTENT_TYPE)
  schemas() {
    return listResponse(SCHEMAS, SCHEMAS.length, 1);
  }

  @Get('Schemas/:id')
  @Header('Content-Type', SCIM_CONTENT_TYPE)
  schema(@Param('id') id: string) {
    const found = SCHEMAS.find((s) => s.id === id);
    if (!found) throw new ScimError(404, `No Schema "${id}".`);
    return found;
  }
}
