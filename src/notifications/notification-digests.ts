import type { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { addDays } from '../common/calendar-day';
import { dueIn, humanDate, label, plural } from '../common/labels';
import { isoWeekOf, localTime } from './local-time';
import { MailRenderer, type Subjects } from './mail-renderer';
import { NotificationComposer } from './notification-composer';
import { DIGEST_LIST_LIMIT, NotificationDigestReader } from './notification-digest.reader';
import { NotificationKind } from './notification-kind';
import {
  inWorkingHours,
  type OpenAssignment,
  type PlannedPerson,
  type Recipient,
} from './notification-planner';
import { NOTIFICATION_POLICY, type NotificationPolicy, type Weekday } from './notification-policy';
import type { NewNotification, NewNotificationStep } from './notification.repository';

type Row = { row: NewNotification; steps: NewNotificationStep[] };

const more = (shown: number, total: number, what: string) =>
  total > shown ? `…and ${plural(total - shown, what)} more.` : null;

/**
 * The weekly digests: to HR (new hires who have not begun, overdue work by department,
 * background checks stuck), and optionally to each manager (their reports' open work). Each
 * goes out once an ISO week, on the configured day, in the recipient's working hours.
 */
@Injectable()
export class NotificationDigests {
  constructor(
    private readonly reader: NotificationDigestReader,
    private readonly renderer: MailRenderer,
    private readonly composer: NotificationComposer,
    @Inject(NOTIFICATION_POLICY) private readonly policy: NotificationPolicy,
  ) {}

  async plan(
    em: EntityManager,
    at: Date,
    now: Date,
    input: {
      hr: readonly Recipient[];
      people: ReadonlyMap<string, PlannedPerson>;
      managers: ReadonlyMap<string, Recipient>;
      assignments: readonly OpenAssignment[];
    },
    { titleOf }: Subjects,
  ): Promise<Row[]> {
    const rows: Row[] = [];
    const { hrWeeklyOn, managerWeeklyOn, backgroundCheckStuckDays } = this.policy.digests;
    if (hrWeeklyOn) {
      for (const recipient of input.hr) {
        const key = this.dueKey(NotificationKind.HrDigest, recipient, hrWeeklyOn, at);
        if (!key || (await this.reader.exists(em, key))) continue;
        const today = localTime(at, recipient.timeZone).day;
        const facts = await this.reader.hrDigest(em, today, backgroundCheckStuckDays);
        rows.push(
          this.composer.composeMail(
            key,
            NotificationKind.HrDigest,
            recipient,
            this.hrMail(recipient, facts, today),
            facts.notBegunCount + facts.stuckCount,
            now,
          ),
        );
      }
    }
    if (managerWeeklyOn) {
      const reportsOf = new Map<string, OpenAssignment[]>();
      for (const a of input.assignments) {
        const manager = input.people.get(a.personId)?.managerEmail;
        if (manager) reportsOf.set(manager, [...(reportsOf.get(manager) ?? []), a]);
      }
      for (const [email, open] of reportsOf) {
        const recipient = input.managers.get(email) ?? {
          personId: null,
          email,
          name: null,
          timeZone: this.policy.workingHours.defaultTimeZone,
          reachable: true,
        };
        if (!recipient.reachable) continue;
        const key = this.dueKey(NotificationKind.ManagerDigest, recipient, managerWeeklyOn, at);
        if (!key || (await this.reader.exists(em, key))) continue;
        const today = localTime(at, recipient.timeZone).day;
        const soon = open.filter((a) => a.dueDate <= addDays(today, 7));
        if (soon.length === 0) continue;
        const lines = soon
          .map((a) => ({
            text: `${input.people.get(a.personId)?.name ?? 'Someone'}: ${titleOf(a.kind, a.subject)}, ${dueIn(a.dueDate, today)} (${humanDate(a.dueDate)})`,
            due: a.dueDate,
          }))
          .sort((x, y) => x.due.localeCompare(y.due) || x.text.localeCompare(y.text));
        const mail = this.renderer.digest(
          `Your team's security tasks this week: ${plural(soon.length, 'task')} open`,
          recipient.name,
          'Tasks your reports have overdue or due in the next seven days. Each of them is reminded directly; this is so you know.',
          [
            {
              heading: 'Overdue or due this week',
              lines: lines.slice(0, DIGEST_LIST_LIMIT * 2),
              empty: 'Nothing.',
              more: more(DIGEST_LIST_LIMIT * 2, lines.length, 'task'),
            },
          ],
        );
        rows.push(
          this.composer.composeMail(
            key,
            NotificationKind.ManagerDigest,
            recipient,
            mail,
            soon.length,
            now,
          ),
        );
      }
    }
    return rows;
  }

  /** The digest's key when it is due now for this recipient, else null. */
  private dueKey(
    kind: NotificationKind,
    recipient: Recipient,
    day: Weekday,
    at: Date,
  ): string | null {
    const local = localTime(at, recipient.timeZone);
    if (local.weekday !== day || !inWorkingHours(this.policy, at, recipient.timeZone)) return null;
    return `${kind}:${recipient.personId ?? recipient.email}:${isoWeekOf(local.day)}`;
  }

  private hrMail(
    recipient: Recipient,
    facts: Awaited<ReturnType<NotificationDigestReader['hrDigest']>>,
    today: string,
  ) {
    const overdueTasks = facts.overdueByDepartment.reduce((sum, d) => sum + d.tasks, 0);
    return this.renderer.digest(
      `Weekly onboarding digest: ${plural(overdueTasks, 'task')} overdue, ${plural(facts.stuckCount, 'check')} stuck`,
      recipient.name,
      `Where onboarding stands on ${humanDate(today)}.`,
      [
        {
          heading: 'New hires who have not begun',
          lines: facts.notBegun.map((p) => ({
            text: `${p.fullName}${p.startDate ? `, starting ${humanDate(p.startDate)}` : ''}`,
            path: `/people/${p.id}`,
          })),
          empty: 'None: every recent or coming new hire has completed something.',
          more: more(facts.notBegun.length, facts.notBegunCount, 'person'),
        },
        {
          heading: 'Overdue by department',
          lines: facts.overdueByDepartment.map((d) => ({
            text: `${d.department}: ${plural(d.tasks, 'task')}, ${plural(d.people, 'person', 'people')}`,
            path: `/onboarding/overdue?department=${encodeURIComponent(d.department)}`,
          })),
          empty: 'Nothing is overdue.',
        },
        {
          heading: `Background checks open for more than ${this.policy.digests.backgroundCheckStuckDays} days`,
          lines: facts.stuckChecks.map((c) => ({
            text: `${c.fullName}: ${label(c.type)}, open since ${humanDate(c.since)}`,
            path: `/people/${c.personId}#checks`,
          })),
          empty: 'None.',
          more: more(facts.stuckChecks.length, facts.stuckCount, 'check'),
        },
      ],
    );
  }
}
