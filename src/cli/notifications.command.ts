import type { AppConfig } from '../config/app-config';
import { KIND_WORDS } from '../notifications/notification.views';
import { NotificationDelivery } from '../notifications/notification-delivery.service';
import type { NotificationKind } from '../notifications/notification-kind';
import { NotificationScheduler } from '../notifications/notification-scheduler.service';
import { NotificationsModule } from '../notifications/notifications.module';
import { MailTransport } from '../notifications/mail-transport';
import { withAppContext } from './cli-context';
import { type CliIo, EXIT_OK } from './cli-io';

export interface NotificationsRunOptions {
  /** Evaluate the rules as of this instant (tests, catching up after downtime). */
  readonly at?: Date;
  /** Queue only; leave delivery to the running app's worker. */
  readonly deliver: boolean;
}

const lines = (counts: Record<string, number>, words: (key: string) => string) =>
  Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, count]) => `  ${words(key)}: ${count}`);

/**
 * `attest notifications run`: one scheduler pass now (or as of --at), then delivery of
 * everything due. Prints what it queued, held back and why, sent, and failed. A second run at
 * the same time queues nothing new.
 */
export function runNotifications(
  config: AppConfig,
  options: NotificationsRunOptions,
  io: CliIo,
): Promise<number> {
  return withAppContext(config, [NotificationsModule.forCli()], async (context) => {
    const pass = await context.get(NotificationScheduler).run(options.at);
    const queuedTotal = Object.values(pass.queued).reduce((a, b) => a + b, 0);
    io.out(`Scheduler pass as of ${pass.at}: ${queuedTotal} message(s) queued.`);
    lines(pass.queued, (kind) => KIND_WORDS[kind as NotificationKind] ?? kind).forEach((l) =>
      io.out(l),
    );
    if (pass.alreadyQueued > 0) {
      io.out(`  already sent today, waiting for tomorrow: ${pass.alreadyQueued}`);
    }
    const held = lines(pass.held, (reason) => reason);
    if (held.length > 0) {
      io.out('Held back (tasks):');
      held.forEach((l) => io.out(l));
    }
    if (!options.deliver) return EXIT_OK;
    const delivered = await context.get(NotificationDelivery).drain();
    const transport = context.get(MailTransport).name;
    io.out(
      `Delivery (${transport}): ${delivered.sent} sent, ${delivered.failed} failed, ${delivered.retrying} to retry, ${delivered.suppressed} suppressed.`,
    );
    return EXIT_OK;
  });
}
