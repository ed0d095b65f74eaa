import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { AttestMetrics } from './attest-metrics';
import { DatabasePoolMetrics } from './database-pool.metrics';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { MetricsController } from './metrics.controller';

/**
 * Prometheus metrics: one registry for the app, `/metrics` behind METRICS_TOKEN, and request
 * timing. Features that count something import this module and inject AttestMetrics.
 */
@Module({
  controllers: [MetricsController],
  providers: [AttestMetrics, DatabasePoolMetrics],
  exports: [AttestMetrics],
})
export class MetricsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // `{*path}` (path-to-regexp 8) also matches `/`, which `*path` does not.
    consumer.apply(HttpMetricsMiddleware).forRoutes('{*path}');
  }
}
