import {
  Body,
  Delete,
  Get,
  Header,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Req,
  Res,
} from '@nestjs/common';
import { ScimEndpoint } from './scim-endpoint.decorator';
import type { Request, Response } from 'express';
import type { ApiClient } from '../access/api-token.guard';
import { SCIM_CONTENT_TYPE } from './scim-error.filter';
import { listQuery, resourceBody, ScimClient } from './scim-request';
import { ScimGroupsService } from './scim-groups.service';

/** RFC 7644 §3.2: /Groups. Identity providers only: a `scim` API token, never a session. */
@ScimEndpoint('scim/v2/Groups')
export class ScimGroupsController {
  constructor(private readonly groups: ScimGroupsService) {}

  @Get()
  @Header('Content-Type', SCIM_CONTENT_TYPE)
  list(@Req() req: Request) {
    return this.groups.list(listQuery(req));
  }

  @Get(':id')
  @Header('Content-Type', SCIM_CONTENT_TYPE)
  get(@Param('id') id: string, @Req() req: Request) {
    return this.groups.get(id, listQuery(req));
  }

  @Post()
  @HttpCode(201)
  @Header('Content-Type', SCIM_CONTENT_TYPE)
  async create(
    @ScimClient() client: ApiClient,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    const created = await this.groups.create(client, resourceBody(body));
    // RFC 7644 §3.3: the new resource's URI, as in its meta.location.
    res.setHeader('Location', (created.meta as { location: string }).location);
    return created;
  }

  @Put(':id')
  @Header('Content-Type', SCIM_CONTENT_TYPE)
  replace(@ScimClient() client: ApiClient, @Param('id') id: string, @Body() body: unknown) {
    return this.groups.replace(client, id, resourceBody(body));
  }

  @Patch(':id')
  @Header('Content-Type', SCIM_CONTENT_TYPE)
  patch(@ScimClient() client: ApiClient, @Param('id') id: string, @Body() body: unknown) {
    return this.groups.patch(client, id, resourceBody(body));
  }

  /** Deletes the group; its members lose the roles it gave them. */
  @Delete(':id')
  @HttpCode(204)
  async delete(@ScimClient() client: ApiClient, @Param('id') id: string): Promise<void> {
    await this.groups.delete(client, id);
  }
}
