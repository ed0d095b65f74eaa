import { NotificationKind, NotificationTrack } from './notification-kind';
import { NOTIFICATION_DEFAULTS, type NotificationPolicy } from './notification-policy';
import {
  currentReminderStep,
  inWorkingHours,
  type OpenAssignment,
  type PlannedPerson,
  planNotifications,
  type RecordedStep,
} from './notification-planner';

const person = (
  id: string,
  timeZone: string,
  managerEmail: string | null = null,
): PlannedPerson => ({
  personId: id,
  email: `${id}@corp.example`,
  name: id,
  timeZone,
  reachable: true,
  managerEmail,
});

const nda = (personId: string, dueDate: string): OpenAssignment => ({
  personId,
  requirementId: 'employee-nda',
  kind: 'document',
  subject: 'nda',
  cycle: 1,
  dueDate,
});

function plan(
  at: string,
  assignments: OpenAssignment[],
  recorded: RecordedStep[] = [],
  people = [person('ann', 'Europe/London', 'mo@corp.example')],
  policy: NotificationPolicy = NOTIFICATION_DEFAULTS,
) {
  return planNotifications({
    at: new Date(at),
    policy,
    people: new Map(people.map((p) => [p.personId, p])),
    assignments,
    recorded,
    managers: new Map(),
    hr: [
      { personId: null, email: 'hr@corp.example', name: null, timeZone: 'UTC', reachable: true },
    ],
  });
}

describe(currentReminderStep.name, () => {
  it.each([
    ['2027-01-11', null],
    ['2027-01-12', 'before-3'],
    ['2027-01-14', 'before-3'],
    ['2027-01-15', 'due'],
    ['2027-01-17', 'due'],
    ['2027-01-18', 'overdue-3'],
    ['2027-01-23', 'overdue-6'],
    ['2027-02-14', 'overdue-30'],
  ])('on %s a task due 15 Jan is at %s', (today, step) => {
    expect(currentReminderStep(NOTIFICATION_DEFAULTS, '2027-01-15', today)).toBe(step);
  });
});

describe(inWorkingHours.name, () => {
  it.each([
    ['2027-01-11T08:59:00Z', 'Europe/London', false],
    ['2027-01-11T09:00:00Z', 'Europe/London', true],
    ['2027-01-11T16:59:00Z', 'Europe/London', true],
    ['2027-01-11T17:00:00Z', 'Europe/London', false],
    ['2027-01-09T12:00:00Z', 'Europe/London', false], // Saturday
    ['2027-01-11T09:00:00Z', 'America/New_York', false], // 04:00 there
    ['2027-01-11T14:00:00Z', 'America/New_York', true],
    // Summer time: 09:00 in London is 08:00 UTC.
    ['2027-07-05T08:00:00Z', 'Europe/London', true],
    // Monday 09:00 in Auckland (UTC+13 in January) is Sunday 20:00 in UTC.
    ['2027-01-10T19:59:00Z', 'Pacific/Auckland', false],
    ['2027-01-10T20:00:00Z', 'Pacific/Auckland', true],
  ])('%s in %s: %s', (at, zone, expected) => {
    expect(inWorkingHours(NOTIFICATION_DEFAULTS, new Date(at), zone)).toBe(expected);
  });
});

describe(planNotifications.name, () => {
  it('announces new work once, covering the reminder that is due', () => {
    const { messages } = plan('2027-01-13T10:00:00Z', [nda('ann', '2027-01-15')]);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      kind: NotificationKind.Tasks,
      key: 'tasks:ann:2027-01-13',
      aboutPersonId: 'ann',
    });
    expect(messages[0].items.map((i) => [i.track, i.step, Boolean(i.hidden)])).toEqual([
      [NotificationTrack.Notice, 'assigned', false],
      [NotificationTrack.Reminder, 'before-3', true],
    ]);
  });

  it('holds mail outside the recipient’s working hours, saying why', () => {
    const { messages, held } = plan('2027-01-16T10:00:00Z', [nda('ann', '2027-01-15')]);
    expect(messages).toEqual([]);
    expect(held).toEqual({ "outside the recipient's working hours": 1 });
  });

  it('sends a step not yet recorded, and nothing for a step already sent', () => {
    const recorded: RecordedStep[] = [
      {
        personId: 'ann',
        requirementId: 'employee-nda',
        cycle: 1,
        track: NotificationTrack.Notice,
        step: 'assigned',
      },
      {
        personId: 'ann',
        requirementId: 'employee-nda',
        cycle: 1,
        track: NotificationTrack.Reminder,
        step: 'due',
      },
    ];
    expect(plan('2027-01-15T10:00:00Z', [nda('ann', '2027-01-15')], recorded).messages).toEqual([]);
    const later = plan('2027-01-18T10:00:00Z', [nda('ann', '2027-01-15')], recorded).messages;
    expect(later[0].items.map((i) => i.step)).toEqual(['overdue-3']);
  });

  it('does not count the reminder a notice covered towards at_most', () => {
    const policy = {
      ...NOTIFICATION_DEFAULTS,
      reminders: { ...NOTIFICATION_DEFAULTS.reminders, atMost: 1 },
    };
    const recorded: RecordedStep[] = [
      {
        personId: 'ann',
        requirementId: 'employee-nda',
        cycle: 1,
        track: NotificationTrack.Notice,
        step: 'assigned',
      },
      {
        personId: 'ann',
        requirementId: 'employee-nda',
        cycle: 1,
        track: NotificationTrack.Reminder,
        step: 'before-3',
        listed: false,
      },
    ];
    const result = plan(
      '2027-01-15T10:00:00Z',
      [nda('ann', '2027-01-15')],
      recorded,
      undefined,
      policy,
    );
    expect(result.messages[0].items.map((i) => i.step)).toEqual(['due']);
  });

  it('stops reminding after at_most reminders', () => {
    const policy = {
      ...NOTIFICATION_DEFAULTS,
      reminders: { ...NOTIFICATION_DEFAULTS.reminders, atMost: 2 },
    };
    const recorded = ['assigned', 'due', 'overdue-3'].map((step) => ({
      personId: 'ann',
      requirementId: 'employee-nda',
      cycle: 1,
      track: step === 'assigned' ? NotificationTrack.Notice : NotificationTrack.Reminder,
      step,
    }));
    const result = plan(
      '2027-01-21T10:00:00Z',
      [nda('ann', '2027-01-15')],
      recorded,
      undefined,
      policy,
    );
    expect(result.messages.filter((m) => m.kind === NotificationKind.Tasks)).toEqual([]);
    expect(result.held['reminders used up (at_most)']).toBe(1);
  });

  it('bundles a manager’s overdue reports into one mail, in the manager’s hours', () => {
    const people = [
      person('ann', 'Europe/London', 'mo@corp.example'),
      person('bea', 'America/New_York', 'mo@corp.example'),
    ];
    const { messages } = plan(
      '2027-01-22T10:00:00Z',
      [nda('ann', '2027-01-15'), nda('bea', '2027-01-14')],
      [],
      people,
    );
    const toManager = messages.filter((m) => m.kind === NotificationKind.ManagerEscalation);
    expect(toManager).toHaveLength(1);
    expect(toManager[0].recipient.email).toBe('mo@corp.example');
    expect(toManager[0].items.map((i) => i.personId).sort()).toEqual(['ann', 'bea']);
    // Bea's own mail waits for New York's morning.
    expect(messages.some((m) => m.aboutPersonId === 'bea')).toBe(false);
  });

  it('escalates to HR only after hr_after_days_overdue, and never with escalation off', () => {
    const at14 = plan('2027-01-29T10:00:00Z', [nda('ann', '2027-01-15')]).messages;
    expect(at14.map((m) => m.kind)).toContain(NotificationKind.HrEscalation);
    const at13 = plan('2027-01-28T10:00:00Z', [nda('ann', '2027-01-15')]).messages;
    expect(at13.map((m) => m.kind)).not.toContain(NotificationKind.HrEscalation);
    const off = {
      ...NOTIFICATION_DEFAULTS,
      escalation: {
        managerAfterDaysOverdue: undefined,
        hrAfterDaysOverdue: undefined,
        hrAddress: undefined,
      },
    };
    const none = plan(
      '2027-03-01T10:00:00Z',
      [nda('ann', '2027-01-15')],
      [],
      undefined,
      off,
    ).messages;
    expect(none.map((m) => m.kind)).toEqual([NotificationKind.Tasks]);
  });

  it('does not write to a manager who has left, and says why', () => {
    const plan2 = planNotifications({
      at: new Date('2027-01-22T10:00:00Z'),
      policy: NOTIFICATION_DEFAULTS,
      people: new Map([['ann', person('ann', 'Europe/London', 'mo@corp.example')]]),
      assignments: [nda('ann', '2027-01-15')],
      recorded: [],
      managers: new Map([
        [
          'mo@corp.example',
          {
            personId: 'mo',
            email: 'mo@corp.example',
            name: 'Mo',
            timeZone: 'UTC',
            reachable: false,
          },
        ],
      ]),
      hr: [],
    });
    expect(plan2.messages.map((m) => m.kind)).toEqual([NotificationKind.Tasks]);
    expect(plan2.held['recipient has left or is on leave']).toBe(1);
  });

  it('sends every HR recipient in working hours the bundle, recording its steps once', () => {
    const hr = [
      {
        personId: 'h1',
        email: 'h1@corp.example',
        name: 'H1',
        timeZone: 'America/Los_Angeles',
        reachable: true,
      },
      {
        personId: 'h2',
        email: 'h2@corp.example',
        name: 'H2',
        timeZone: 'Europe/London',
        reachable: true,
      },
      {
        personId: 'h3',
        email: 'h3@corp.example',
        name: 'H3',
        timeZone: 'Europe/Paris',
        reachable: true,
      },
    ];
    const result = planNotifications({
      at: new Date('2027-01-29T10:00:00Z'),
      policy: NOTIFICATION_DEFAULTS,
      people: new Map([['ann', person('ann', 'Europe/London')]]),
      assignments: [nda('ann', '2027-01-15')],
      recorded: [],
      managers: new Map(),
      hr,
    });
    const toHr = result.messages.filter((m) => m.kind === NotificationKind.HrEscalation);
    // 02:00 in Los Angeles: h1 waits; h2 and h3 get it, and only h2's message records steps.
    expect(toHr.map((m) => [m.recipient.personId, m.recordsSteps])).toEqual([
      ['h2', true],
      ['h3', false],
    ]);
  });
});
