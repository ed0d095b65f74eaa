import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { calendarDayOf } from '../common/calendar-day';
import { Clock } from '../common/clock';
import { NotificationComposer } from './notification-composer';
import { NotificationDigests } from './notification-digests';
import { NotificationPlanReader } from './notification-plan.reader';
import { planNotifications } from './notification-planner';
import { NOTIFICATION_POLICY, type NotificationPolicy, WEEKDAYS } from './notification-policy';
import { NotificationRepository } from './notification.repository';

/** One scheduler pass at a time, across every instance on the database. */
const SCHEDULER_LOCK = 0x4e4f5449; // "NOTI"

/** The policy with every hour of every day a working hour. */
const ANY_HOUR = (policy: NotificationPolicy): NotificationPolicy => ({
  ...policy,
  workingHours: { ...policy.workingHours, days: WEEKDAYS, from: 0, to: 24 * 60 },
});

/** What a pass did, by kind and by reason, for the CLI and the audit log. No personal data. */
export interface PassSummary {
  readonly at: string;
  readonly queued: Record<string, number>;
  /** Messages the plan wanted that were queued earlier today (one mail a day each). */
  readonly alreadyQueued: number;
  /** Items due but not sent now, by reason. */
  readonly held: Record<string, number>;
  readonly queuedIds: readonly string[];
}

/**
 * Decides who is told what now, and queues it in the outbox (the transactional outbox: the
 * steps and their messages commit together). Delivery is the worker's job.
 */
@Injectable()
export class NotificationScheduler {
  constructor(
    private readonly em: EntityManager,
    private readonly reader: NotificationPlanReader,
    private readonly notifications: NotificationRepository,
    private readonly composer: NotificationComposer,
    private readonly digests: NotificationDigests,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(NOTIFICATION_POLICY) private readonly policy: NotificationPolicy,
  ) {}

  /**
   * One pass as of `at` (now by default). Passes take turns on a database lock and the plan
   * reads what earlier passes recorded, so a pass repeated at the same time queues nothing.
   */
  async run(
    at: Date = this.clock.now(),
    options: { anyHour?: boolean } = {},
  ): Promise<PassSummary> {
    // The demo's first pass fills the development mailbox whatever the hour (see jobs).
    const policy = options.anyHour ? ANY_HOUR(this.policy) : this.policy;
    const titles = await this.composer.titles();
    return this.em.fork().transactional(async (em) => {
      await em.execute('select pg_advisory_xact_lock(?)', [SCHEDULER_LOCK]);
      const input = await this.reader.read(em, policy, calendarDayOf(at));
      const plan = planNotifications({ ...input, at, policy });
      const now = this.clock.now();
      const nameOf = (personId: string) => input.people.get(personId)?.name ?? 'Someone';
      const rows = [
        ...plan.messages.map((message) => this.composer.compose(message, at, now, titles, nameOf)),
        ...(await this.digests.plan(em, at, now, input, titles)),
      ];
      const queuedIds = await this.notifications.queueIn(em, rows, now);
      const queuedSet = new Set(queuedIds);
      const queued: Record<string, number> = {};
      for (const { row } of rows) {
        if (queuedSet.has(row.id)) queued[row.kind] = (queued[row.kind] ?? 0) + 1;
      }
      const summary: PassSummary = {
        at: at.toISOString(),
        queued,
        alreadyQueued: rows.length - queuedIds.length,
        held: plan.held,
        queuedIds,
      };
      if (queuedIds.length > 0) {
        await this.audit.recordIn(em, {
          action: 'notifications.queued',
          subjectType: 'notification_pass',
          subjectId: null,
          details: { at: summary.at, queued, held: plan.held },
        });
      }
      return summary;
    });
  }
}
