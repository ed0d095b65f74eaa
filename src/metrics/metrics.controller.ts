import { createHash, timingSafeEqual } from 'node:crypto';
import {
  Controller,
  Get,
  Headers,
  Inject,
  NotFoundException,
  Res,
  UnauthorizedException,
} from '@nestjs/common';
import type { Response } from 'express';
import { Public } from '../access/access.decorators';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { AttestMetrics } from './attest-metrics';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Prometheus scrapes here with `Authorization: Bearer <METRICS_TOKEN>` (RFC 6750 §2.1). No
 * session opens it: without METRICS_TOKEN the route does not exist (404), and a wrong or
 * missing token is 401, compared in constant time.
 */
@Controller()
export class MetricsController {
  constructor(
    private readonly metrics: AttestMetrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Get('metrics')
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const token = this.config.secrets.metricsToken;
    if (!token) throw new NotFoundException();
    const presented = /^Bearer (\S+)$/i.exec(authorization ?? '')?.[1] ?? '';
    if (!timingSafeEqual(digest(presented), digest(token))) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="attest-metrics"');
      throw new UnauthorizedException('A valid metrics token is required.');
    }
    const { contentType, body } = await this.metrics.scrape();
    res.type(contentType).send(body);
  }
}
