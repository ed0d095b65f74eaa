import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AttestMetrics } from './attest-metrics';

/**
 * Times every request to its last byte, labelled by the route's pattern as Express matched it
 * (`/documents/:documentId`), never by its URL: ids and query strings stay out of the labels.
 */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: AttestMetrics) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const stop = this.metrics.httpDuration.startTimer();
    // 'close' also comes when the client goes away before the last byte.
    res.once('close', () => {
      const route = (req.route as { path?: unknown } | undefined)?.path;
      stop({
        method: req.method,
        route: typeof route === 'string' ? route : 'unmatched',
        status: String(res.statusCode),
      });
    });
    next();
  }
}
