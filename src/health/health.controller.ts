import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { Public } from '../access/access.decorators';
import { HealthService } from './health.service';

@Controller()
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** Liveness: the process is up and serving HTTP. */
  @Public()
  @Get('healthz')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: the database answers. */
  @Public()
  @Get('readyz')
  async ready(): Promise<{ status: 'ready' }> {
    if (!(await this.health.isDatabaseReady())) {
      throw new ServiceUnavailableException('The database is not answering.');
    }
    return { status: 'ready' };
  }
}
