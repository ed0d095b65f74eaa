import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AttestMetrics } from '../metrics/attest-metrics';
import { NotificationRepository } from './notification.repository';

/** Messages queued or being sent, read at each scrape: a growing number means mail is stuck. */
@Injectable()
export class NotificationQueueMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: AttestMetrics,
    private readonly notifications: NotificationRepository,
  ) {}

  onModuleInit(): void {
    this.metrics.watchQueue('notifications', () => this.notifications.countUnsent());
  }
}
