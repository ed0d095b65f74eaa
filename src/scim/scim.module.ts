import { Module } from '@nestjs/common';
import { SessionsModule } from '../auth/sessions/sessions.module';
import { PeopleChangesModule } from '../people-changes/people-changes.module';
import { ScimDiscoveryController } from './scim-discovery.controller';
import { ScimGroupsController } from './scim-groups.controller';
import { ScimGroupsService } from './scim-groups.service';
import { ScimRepository } from './scim.repository';
import { ScimUsersController } from './scim-users.controller';
import { ScimUsersService } from './scim-users.service';

/** SCIM 2.0 provisioning (RFC 7643, RFC 7644) under /scim/v2, for identity providers. */
@Module({
  imports: [PeopleChangesModule, SessionsModule],
  controllers: [ScimDiscoveryController, ScimUsersController, ScimGroupsController],
  providers: [ScimRepository, ScimUsersService, ScimGroupsService],
})
export class ScimModule {}
