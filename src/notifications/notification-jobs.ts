import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type PgBoss from 'pg-boss';
import { ensureQueues, startPgBoss } from '../database/pg-boss-queues';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { NotificationDelivery } from './notification-delivery.service';
import { NotificationScheduler } from './notification-scheduler.service';

export const PLAN_QUEUE = 'attest-notifications-plan';
export const DELIVER_QUEUE = 'attest-notifications-deliver';

/** Scheduler passes every five minutes; delivery (and its retries) every minute, or at once. */
const PLAN_EVERY_MS = 5 * 60_000;
const DELIVER_EVERY_MS = 60_000;

/**
 * Runs the scheduler and the delivery worker in the background. Two adapters, as for exports:
 * pg-boss on a PostgreSQL server (cron schedules, each run taken by one instance), and timers
 * in this process for the embedded database. Either way, the outbox's claims and the
 * scheduler's lock are what keep a message from going out twice.
 */
export abstract class NotificationJobs {
  /** Delivers soon, rather than at the next minute: after HR's "send a reminder now". */
  abstract kick(): Promise<void>;
}

/** No background work (NOTIFICATIONS=off, and tests): passes run from the CLI or a test. */
@Injectable()
export class NoNotificationJobs extends NotificationJobs {
  kick(): Promise<void> {
    return Promise.resolve();
  }
}

@Injectable()
export class PgBossNotificationJobs
  extends NotificationJobs
  implements OnApplicationBootstrap, OnModuleDestroy
{
  private readonly logger = new Logger(PgBossNotificationJobs.name);
  private readonly shutdown = new AbortController();
  private boss: PgBoss | undefined;

  constructor(
    private readonly scheduler: NotificationScheduler,
    private readonly delivery: NotificationDelivery,
    private readonly connectionString: string,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    const boss = await startPgBoss(
      { connectionString: this.connectionString, applicationName: 'attest-notifications', max: 2 },
      this.logger,
    );
    this.boss = boss;
    // A failed run is not retried: the next scheduled run does the same work.
    await ensureQueues(
      boss,
      [PLAN_QUEUE, DELIVER_QUEUE].map((name) => ({ name, retryLimit: 0, expireInSeconds: 900 })),
    );
    await boss.schedule(PLAN_QUEUE, '*/5 * * * *');
    await boss.schedule(DELIVER_QUEUE, '* * * * *');
    await boss.work(PLAN_QUEUE, { batchSize: 1, pollingIntervalSeconds: 10 }, async () => {
      const pass = await this.scheduler.run();
      if (pass.queuedIds.length > 0) await this.kick();
    });
    await boss.work(DELIVER_QUEUE, { batchSize: 1, pollingIntervalSeconds: 5 }, async () => {
      await this.delivery.drain(this.shutdown.signal);
    });
  }

  async kick(): Promise<void> {
    // One pending delivery run is enough: the singleton key folds repeated kicks into it.
    await this.boss?.send(DELIVER_QUEUE, {}, { singletonKey: 'deliver', singletonSeconds: 5 });
  }

  async onModuleDestroy(): Promise<void> {
    this.shutdown.abort();
    await this.boss?.stop({ graceful: true, wait: true, timeout: 15_000 });
  }
}

@Injectable()
export class InProcessNotificationJobs
  extends NotificationJobs
  implements OnApplicationBootstrap, OnModuleDestroy
{
  private readonly logger = new Logger(InProcessNotificationJobs.name);
  private readonly shutdown = new AbortController();
  private readonly timers: NodeJS.Timeout[] = [];
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly scheduler: NotificationScheduler,
    private readonly delivery: NotificationDelivery,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    const every = (ms: number, work: () => Promise<unknown>) => {
      const timer = setInterval(() => void this.serially(work), ms);
      timer.unref();
      this.timers.push(timer);
    };
    every(PLAN_EVERY_MS, () => this.scheduler.run());
    every(DELIVER_EVERY_MS, () => this.delivery.drain(this.shutdown.signal));
    // The first pass soon after start, so a new install's outbox fills without waiting.
    const first = setTimeout(() => void this.serially(() => this.planAndDeliver()), 5_000);
    first.unref();
    this.timers.push(first);
  }

  kick(): Promise<void> {
    void this.serially(() => this.delivery.drain(this.shutdown.signal));
    return Promise.resolve();
  }

  private async planAndDeliver(): Promise<void> {
    // With the demo organisation, the first pass ignores quiet hours, so a newcomer sees at
    // once in /dev/mailbox what each overdue person would receive, whatever the time of day.
    await this.scheduler.run(undefined, {
      anyHour: this.config.demoData && !this.config.mail.smtpUrl,
    });
    await this.delivery.drain(this.shutdown.signal);
  }

  /** One job at a time: the embedded database has one connection anyway. */
  private serially(work: () => Promise<unknown>): Promise<void> {
    this.running = this.running
      .then(async () => {
        if (!this.shutdown.signal.aborted) await work();
      })
      .catch((error: unknown) => this.logger.error({ err: error, msg: 'notification job failed' }));
    return this.running;
  }

  async onModuleDestroy(): Promise<void> {
    this.shutdown.abort();
    for (const timer of this.timers) clearInterval(timer);
    await this.running;
  }
}
