import { Controller, Get, Render } from '@nestjs/common';
import { RequirePermission } from '../../access/access.decorators';
import { Permission } from '../../access/permission';
import { Clock } from '../../common/clock';
import { type ConfigurationView, ConfigurationService } from './configuration.service';

/** The configuration in force, read-only, for administrators (after their TOTP step-up). */
@Controller('admin/configuration')
export class ConfigurationController {
  constructor(
    private readonly configuration: ConfigurationService,
    private readonly clock: Clock,
  ) {}

  @RequirePermission(Permission.AdminRead)
  @Get()
  @Render('admin/configuration')
  show(): Promise<ConfigurationView> {
    return this.configuration.show(this.clock.now());
  }
}
