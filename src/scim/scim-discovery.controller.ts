import { Get, Header, Param } from '@nestjs/common';
import { ScimError } from './scim.errors';
import { ScimEndpoint } from './scim-endpoint.decorator';
import { SCIM_CONTENT_TYPE } from './scim-error.filter';
import { listResponse, RESOURCE_TYPES, SCHEMAS, SERVICE_PROVIDER_CONFIG } from './scim-schemas';

/** RFC 7644 §4: what the service provider supports, for IdPs that read it before provisioning. */
@ScimEndpoint('scim/v2')
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
