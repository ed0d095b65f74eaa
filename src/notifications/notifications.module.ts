import { type DynamicModule, Module, type Provider, type Type } from '@nestjs/common';
import { join } from 'node:path';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { DatabaseEndpoint } from '../database/embedded-postgres';
import { DocumentSyncModule } from '../documents/document-sync.module';
import {
  REQUIREMENTS_FILE_NAME,
  loadNotificationPolicy,
} from '../requirements/requirements-file.loader';
import { DevMailboxController } from './dev-mailbox.controller';
import { MailRenderer } from './mail-renderer';
import { DevMailboxTransport, MailTransport } from './mail-transport';
import { NotificationComposer } from './notification-composer';
import { NotificationDigestReader } from './notification-digest.reader';
import { NotificationDigests } from './notification-digests';
import { NotificationDelivery } from './notification-delivery.service';
import {
  InProcessNotificationJobs,
  NoNotificationJobs,
  NotificationJobs,
  PgBossNotificationJobs,
} from './notification-jobs';
import { NotificationPlanReader } from './notification-plan.reader';
import { NOTIFICATION_POLICY } from './notification-policy';
import { NotificationScheduler } from './notification-scheduler.service';
import { MetricsModule } from '../metrics/metrics.module';
import { NotificationQueueMetrics } from './notification-queue.metrics';
import { NotificationOutboxModule } from './notification-outbox.module';
import { NotificationsController } from './notifications.controller';
import { NotificationsService } from './notifications.service';
import { SmtpMailTransport } from './smtp-mail.transport';

type Database = Pick<DatabaseEndpoint, 'clientUrl' | 'embedded'>;

/** The core, shared by the app and the CLI: rules, outbox, scheduler and delivery. */
function coreProviders(): Provider[] {
  return [
    {
      provide: NOTIFICATION_POLICY,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        loadNotificationPolicy(join(config.policiesDir, REQUIREMENTS_FILE_NAME)),
    },
    {
      provide: MailTransport,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        config.mail.smtpUrl
          ? new SmtpMailTransport(config.mail.smtpUrl, config.mail.from, config.mail.replyTo)
          : new DevMailboxTransport(),
    },
    MailRenderer,
    NotificationComposer,
    NotificationPlanReader,
    NotificationDigestReader,
    NotificationDigests,
    NotificationScheduler,
    NotificationDelivery,
  ];
}

function jobsFor(config: AppConfig, database: Database): Provider {
  if (!config.mail.background) return { provide: NotificationJobs, useClass: NoNotificationJobs };
  return database.embedded
    ? { provide: NotificationJobs, useClass: InProcessNotificationJobs }
    : {
        provide: NotificationJobs,
        inject: [NotificationScheduler, NotificationDelivery],
        useFactory: (scheduler: NotificationScheduler, delivery: NotificationDelivery) =>
          new PgBossNotificationJobs(scheduler, delivery, database.clientUrl),
      };
}

/**
 * Reminders, escalations and their evidence: the outbox, the scheduler that fills it, the
 * worker that delivers it, and the pages HR reads it on. /dev/mailbox is mounted only outside
 * production and without SMTP_URL: it is the demo's inbox.
 */
@Module({})
export class NotificationsModule {
  static forRoot(config: AppConfig, database: Database): DynamicModule {
    const controllers: Type[] = [NotificationsController];
    if (!config.isProduction && !config.mail.smtpUrl) controllers.push(DevMailboxController);
    return {
      module: NotificationsModule,
      imports: [DocumentSyncModule, NotificationOutboxModule, MetricsModule],
      controllers,
      providers: [
        ...coreProviders(),
        jobsFor(config, database),
        NotificationsService,
        NotificationQueueMetrics,
      ],
      exports: [NotificationsService],
    };
  }

  /** For `attest notifications run`: the core without pages or background jobs. */
  static forCli(): DynamicModule {
    return {
      module: NotificationsModule,
      imports: [DocumentSyncModule, NotificationOutboxModule],
      providers: coreProviders(),
      exports: [NotificationScheduler, NotificationDelivery, MailTransport],
    };
  }
}
