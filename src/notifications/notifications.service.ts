import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../access/principal';
import { AuditService } from '../audit/audit.service';
import { calendarDayOf, daysBetween } from '../common/calendar-day';
import { Clock } from '../common/clock';
import { NotificationComposer } from './notification-composer';
import { type FollowUp, NotificationHistoryReader } from './notification-history.reader';
import { NotificationJobs } from './notification-jobs';
import { NotificationKind, NotificationTrack } from './notification-kind';
import { NotificationPlanReader } from './notification-plan.reader';
import { NOTIFICATION_POLICY, type NotificationPolicy } from './notification-policy';
import { NotificationRepository } from './notification.repository';

/** Why no reminder was queued: one went out within the hour, or there is nothing to remind. */
export type RemindRefusal = 'recent' | 'nothing';

export type RemindOutcome =
  { readonly queued: true } | { readonly queued: false; readonly reason: RemindRefusal };

/** What HR does with notifications by hand, and what the pages read. */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly em: EntityManager,
    private readonly reader: NotificationPlanReader,
    private readonly composer: NotificationComposer,
    private readonly notifications: NotificationRepository,
    private readonly history: NotificationHistoryReader,
    private readonly jobs: NotificationJobs,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(NOTIFICATION_POLICY) private readonly policy: NotificationPolicy,
  ) {}

  followUpOf(personId: string): Promise<FollowUp> {
    return this.history.followUpOf(personId);
  }

  /**
   * "Send a reminder now": one mail listing all the person's open work, at once (HR chose the
   * moment, so quiet hours do not apply). At most one in any 60 minutes per person: requests
   * for one person take turns on a lock, and the message's key holds the minute, so a double
   * click or a second HR person queues nothing more.
   */
  async remind(actor: Principal, personId: string): Promise<RemindOutcome> {
    const at = this.clock.now();
    const titles = await this.composer.titles();
    const outcome = await this.em.fork().transactional(async (em): Promise<RemindOutcome> => {
      await em.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [
        `manual-reminder:${personId}`,
      ]);
      const input = await this.reader.read(em, this.policy, calendarDayOf(at), personId);
      const person = input.people.get(personId);
      if (!person) return { queued: false, reason: 'nothing' };
      const since = new Date(at.getTime() - 60 * 60_000);
      if (await this.history.manualReminderSince(em, personId, since)) {
        return { queued: false, reason: 'recent' };
      }
      const minute = at.toISOString().slice(0, 16);
      const items = input.assignments.map((a) => ({
        ...a,
        track: NotificationTrack.Manual,
        step: `manual-${minute}`,
        daysOverdue: daysBetween(a.dueDate, calendarDayOf(at)),
      }));
      const row = this.composer.compose(
        {
          key: `${NotificationKind.ManualReminder}:${personId}:${minute}`,
          kind: NotificationKind.ManualReminder,
          recipient: person,
          aboutPersonId: personId,
          items,
          recordsSteps: true,
        },
        at,
        at,
        titles,
        () => person.name ?? '',
      );
      const [id] = await this.notifications.queueIn(em, [row], at);
      if (!id) {
        return { queued: false, reason: 'recent' };
      }
      await this.audit.recordIn(em, {
        action: 'notification.requested',
        actorId: actor.personId,
        subjectType: 'person',
        subjectId: personId,
        details: { notificationId: id, items: items.length },
      });
      return { queued: true };
    });
    if (outcome.queued) await this.jobs.kick();
    return outcome;
  }
}
