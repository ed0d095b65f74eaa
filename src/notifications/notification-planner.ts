import { addDays, type CalendarDay, daysBetween } from '../common/calendar-day';
import { localTime } from './local-time';
import { NotificationKind, NotificationTrack } from './notification-kind';
import type { NotificationPolicy } from './notification-policy';

/** Someone a message goes to. `personId` is null for a shared mailbox or an unknown manager. */
export interface Recipient {
  readonly personId: string | null;
  readonly email: string;
  readonly name: string | null;
  readonly timeZone: string;
  /** False for a manager who has left or is on leave: they are not written to. */
  readonly reachable: boolean;
}

/** A person who may be told about their work: active or starting, not on leave, not gone. */
export interface PlannedPerson extends Recipient {
  readonly personId: string;
  readonly managerEmail: string | null;
}

export interface OpenAssignment {
  readonly personId: string;
  readonly requirementId: string;
  readonly kind: string;
  readonly subject: string;
  readonly cycle: number;
  readonly dueDate: CalendarDay;
}

/** A step already recorded for an assignment. */
export interface RecordedStep {
  readonly personId: string;
  readonly requirementId: string;
  readonly cycle: number;
  readonly track: NotificationTrack;
  readonly step: string;
  /** False for a reminder only recorded with a notice that covered it: not counted in at_most. */
  readonly listed?: boolean;
}

export interface PlannedItem extends OpenAssignment {
  readonly track: NotificationTrack;
  readonly step: string;
  /** Days past the due date in the person's own calendar; negative before it. */
  readonly daysOverdue: number;
  /** Recorded with the message but not listed in it (a reminder the assigned notice covers). */
  readonly hidden?: boolean;
}

export interface PlannedMessage {
  /** Unique in the outbox: kind, recipient, and the local day (or week) it is for. */
  readonly key: string;
  readonly kind: NotificationKind;
  readonly recipient: Recipient;
  /** The person the message is about, for tasks mail; null for bundles about several. */
  readonly aboutPersonId: string | null;
  readonly items: readonly PlannedItem[];
  /**
   * Whether the message records its items' steps. False for the copies of an HR escalation
   * after the first: each step is recorded once, with one message.
   */
  readonly recordsSteps: boolean;
}

export interface PlanInput {
  readonly at: Date;
  readonly policy: NotificationPolicy;
  readonly people: ReadonlyMap<string, PlannedPerson>;
  readonly assignments: readonly OpenAssignment[];
  readonly recorded: readonly RecordedStep[];
  /** Managers by lower-cased email; a manager Attest does not know is mailed at the address. */
  readonly managers: ReadonlyMap<string, Recipient>;
  readonly hr: readonly Recipient[];
}

export interface PlanResult {
  readonly messages: PlannedMessage[];
  /** Why something due was not sent now, with how many items: outside working hours, etc. */
  readonly held: Record<string, number>;
}

const stepKey = (s: Pick<RecordedStep, 'personId' | 'requirementId' | 'cycle' | 'track'>) =>
  `${s.personId}|${s.requirementId}|${s.cycle}|${s.track}`;

/** Whether `at` is inside the policy's working hours where the recipient lives. */
export function inWorkingHours(policy: NotificationPolicy, at: Date, timeZone: string): boolean {
  const local = localTime(at, timeZone);
  const hours = policy.workingHours;
  return (
    hours.days.includes(local.weekday) && local.minutes >= hours.from && local.minutes < hours.to
  );
}

/**
 * The reminder step an assignment is at on `today`: the latest of "N days before", "due day"
 * and "every E days overdue" whose day has come. Null before the first. A step whose day fell
 * in quiet hours is still the current step at the next working hour, so it waits, not lapses.
 */
export function currentReminderStep(
  policy: NotificationPolicy,
  dueDate: CalendarDay,
  today: CalendarDay,
): string | null {
  const overdue = daysBetween(dueDate, today);
  const every = policy.reminders.everyDaysOverdue;
  if (overdue >= every) return `overdue-${Math.floor(overdue / every) * every}`;
  if (overdue >= 0 && policy.reminders.onDueDay) return 'due';
  // daysBeforeDue is sorted, largest first: the nearest day before the due date that has come.
  const before = policy.reminders.daysBeforeDue.filter((n) => addDays(dueDate, -n) <= today);
  return before.length > 0 ? `before-${before[before.length - 1]}` : null;
}

function hold(held: Record<string, number>, reason: string, count = 1): void {
  held[reason] = (held[reason] ?? 0) + count;
}

/**
 * Decides what to send at `at`, from the open assignments and the steps already recorded:
 *  - each person, once a local day, one mail with their new work and the reminders now due;
 *  - each manager, once a local day, the steps of their reports who are now past the
 *    escalation threshold; HR likewise, later;
 *  - nothing outside the recipient's working hours: it waits for the next working hour.
 * Pure: the same input gives the same plan, which is what makes a repeated pass send nothing.
 */
export function planNotifications(input: PlanInput): PlanResult {
  const { policy, at } = input;
  const held: Record<string, number> = {};
  const recorded = new Map<string, Set<string>>();
  const remindersSent = new Map<string, number>();
  for (const step of input.recorded) {
    const key = stepKey(step);
    let steps = recorded.get(key);
    if (!steps) recorded.set(key, (steps = new Set()));
    steps.add(step.step);
    if (step.track === NotificationTrack.Reminder && step.listed !== false) {
      remindersSent.set(key, (remindersSent.get(key) ?? 0) + 1);
    }
  }
  const stepsOf = (a: OpenAssignment, track: NotificationTrack) =>
    recorded.get(stepKey({ ...a, track })) ?? new Set<string>();

  const tasks = new Map<string, PlannedItem[]>();
  const toManagers = new Map<string, PlannedItem[]>();
  const toHr: PlannedItem[] = [];
  const todayOf = new Map<string, CalendarDay>();

  for (const a of input.assignments) {
    const person = input.people.get(a.personId);
    if (!person) continue;
    let today = todayOf.get(person.personId);
    if (!today) todayOf.set(person.personId, (today = localTime(at, person.timeZone).day));
    const daysOverdue = daysBetween(a.dueDate, today);
    const personItems = tasks.get(a.personId) ?? [];

    const noticed = stepsOf(a, NotificationTrack.Notice).size > 0;
    const reminders = stepsOf(a, NotificationTrack.Reminder);
    const current = currentReminderStep(policy, a.dueDate, today);
    if (policy.assigned && !noticed && reminders.size === 0) {
      personItems.push({ ...a, track: NotificationTrack.Notice, step: 'assigned', daysOverdue });
      // The notice lists the due date: the reminder due today is covered by it.
      if (current) {
        personItems.push({
          ...a,
          track: NotificationTrack.Reminder,
          step: current,
          daysOverdue,
          hidden: true,
        });
      }
    } else if (current && !reminders.has(current)) {
      const sent = remindersSent.get(stepKey({ ...a, track: NotificationTrack.Reminder })) ?? 0;
      if (sent < policy.reminders.atMost) {
        personItems.push({ ...a, track: NotificationTrack.Reminder, step: current, daysOverdue });
      } else hold(held, 'reminders used up (at_most)');
    }
    if (personItems.length > 0) tasks.set(a.personId, personItems);

    const { managerAfterDaysOverdue: toManager, hrAfterDaysOverdue: toHrAfter } = policy.escalation;
    if (toManager !== undefined && daysOverdue >= toManager) {
      if (stepsOf(a, NotificationTrack.Manager).size === 0) {
        const manager = person.managerEmail;
        if (!manager) hold(held, 'no manager on record');
        else {
          const items = toManagers.get(manager) ?? [];
          items.push({ ...a, track: NotificationTrack.Manager, step: 'manager', daysOverdue });
          toManagers.set(manager, items);
        }
      }
    }
    if (toHrAfter !== undefined && daysOverdue >= toHrAfter) {
      if (stepsOf(a, NotificationTrack.Hr).size === 0) {
        toHr.push({ ...a, track: NotificationTrack.Hr, step: 'hr', daysOverdue });
      }
    }
  }

  const messages: PlannedMessage[] = [];
  /** Queues the message now, or says why not; false when it was held. */
  const send = (
    kind: NotificationKind,
    recipient: Recipient,
    aboutPersonId: string | null,
    items: PlannedItem[],
    recordsSteps = true,
    countHeld = true,
  ): boolean => {
    const listed = items.filter((item) => !item.hidden).length;
    const why = !recipient.reachable
      ? 'recipient has left or is on leave'
      : !inWorkingHours(policy, at, recipient.timeZone)
        ? "outside the recipient's working hours"
        : null;
    if (why) {
      if (countHeld) hold(held, why, listed);
      return false;
    }
    const day = localTime(at, recipient.timeZone).day;
    const who = recipient.personId ?? recipient.email;
    messages.push({
      key: `${kind}:${who}:${day}`,
      kind,
      recipient,
      aboutPersonId,
      items,
      recordsSteps,
    });
    return true;
  };

  for (const [personId, items] of tasks) {
    send(NotificationKind.Tasks, input.people.get(personId)!, personId, items);
  }
  for (const [email, items] of toManagers) {
    const manager = input.managers.get(email) ?? {
      personId: null,
      email,
      name: null,
      timeZone: policy.workingHours.defaultTimeZone,
      reachable: true,
    };
    send(NotificationKind.ManagerEscalation, manager, null, items);
  }
  if (toHr.length > 0) {
    if (input.hr.length === 0) hold(held, 'no HR address or HR person to escalate to', toHr.length);
    // Every HR recipient in working hours gets the bundle; its steps are recorded once, with
    // the first message that goes out. Until one does, the escalation waits (counted once).
    let recorded = false;
    for (const recipient of input.hr) {
      if (send(NotificationKind.HrEscalation, recipient, null, toHr, !recorded, false)) {
        recorded = true;
      }
    }
    if (!recorded && input.hr.length > 0) {
      hold(held, "outside the recipient's working hours", toHr.length);
    }
  }
  return { messages, held };
}
