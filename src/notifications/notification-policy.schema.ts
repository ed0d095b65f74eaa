import { z } from 'zod';
import {
  NOTIFICATION_DEFAULTS as D,
  type NotificationPolicy,
  WEEKDAYS,
  type Weekday,
} from './notification-policy';

const wholeNumber = (min: number, max: number) =>
  z
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

const weekday = z.enum(WEEKDAYS, { error: `must be one of ${WEEKDAYS.join(', ')}` });

/** "09:00" → minutes after midnight. */
const clockTime = z
  .string({ error: 'must be a time such as "09:00" (in quotes)' })
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time such as "09:00"')
  .transform((text) => Number(text.slice(0, 2)) * 60 + Number(text.slice(3)));

const timeZone = z.string({ error: 'must be an IANA time zone such as Europe/London' }).refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be an IANA time zone such as Europe/London or America/New_York' },
);

const email = z
  .email({ error: 'must be an email address such as people-team@example.com' })
  .max(320, 'must be at most 320 characters');

/** `false` or `null` turns a step off. */
const daysOrOff = wholeNumber(1, 365).or(z.literal(false)).nullish();

/** The `notifications:` section; every key optional, with the shipped defaults. */
export const notificationsSectionSchema = z
  .strictObject(
    {
      assigned: z.boolean({ error: 'must be true or false' }).optional(),
      reminders: z
        .strictObject(
          {
            days_before_due: z
              .array(wholeNumber(1, 90), { error: 'must be a list such as [7, 3]' })
              .max(10, 'must list at most 10 days')
              .optional(),
            on_due_day: z.boolean({ error: 'must be true or false' }).optional(),
            every_days_overdue: wholeNumber(1, 90).optional(),
            at_most: wholeNumber(0, 50).optional(),
          },
          { error: 'must be a map such as { days_before_due: [3], every_days_overdue: 3 }' },
        )
        .optional(),
      escalation: z
        .strictObject(
          {
            manager_after_days_overdue: daysOrOff,
            hr_after_days_overdue: daysOrOff,
            hr_address: email.nullish(),
          },
          { error: 'must be a map such as { manager_after_days_overdue: 7 }' },
        )
        .optional(),
      working_hours: z
        .strictObject(
          {
            days: z
              .array(weekday, { error: 'must be a list such as [mon, tue, wed, thu, fri]' })
              .min(1, 'must name at least one day')
              .optional(),
            from: clockTime.optional(),
            to: clockTime.optional(),
            default_time_zone: timeZone.optional(),
          },
          { error: 'must be a map such as { from: "09:00", to: "17:00" }' },
        )
        .optional(),
      digests: z
        .strictObject(
          {
            hr_weekly_on: weekday.or(z.literal(false)).nullish(),
            background_check_stuck_days: wholeNumber(1, 365).optional(),
            manager_weekly_on: weekday.or(z.literal(false)).nullish(),
          },
          { error: 'must be a map such as { hr_weekly_on: mon }' },
        )
        .optional(),
    },
    { error: 'must be a map of notification settings' },
  )
  .superRefine((section, ctx) => {
    const hours = section.working_hours;
    const from = hours?.from ?? D.workingHours.from;
    const to = hours?.to ?? D.workingHours.to;
    if (to <= from) {
      ctx.addIssue({
        code: 'custom',
        path: ['working_hours', hours?.to === undefined ? 'from' : 'to'],
        message: 'must leave working hours: `to` must be later than `from`',
      });
    }
    const days = hours?.days ?? D.workingHours.days;
    for (const key of ['hr_weekly_on', 'manager_weekly_on'] as const) {
      const day =
        section.digests?.[key] ?? (key === 'hr_weekly_on' ? D.digests.hrWeeklyOn : undefined);
      if (typeof day === 'string' && !days.includes(day)) {
        ctx.addIssue({
          code: 'custom',
          path: ['digests', key],
          message: `must be one of the working days (${days.join(', ')}): no mail goes out on ${day}`,
        });
      }
    }
    const escalation = section.escalation;
    const manager = escalation?.manager_after_days_overdue;
    const hr = escalation?.hr_after_days_overdue;
    if (typeof manager === 'number' && typeof hr === 'number' && hr < manager) {
      ctx.addIssue({
        code: 'custom',
        path: ['escalation', 'hr_after_days_overdue'],
        message: `must be at least manager_after_days_overdue (${manager}): HR hears after the manager`,
      });
    }
  });

export type NotificationsSection = z.infer<typeof notificationsSectionSchema>;

const offOr = <T>(value: T | false | null | undefined, fallback: T | undefined): T | undefined =>
  value === false || value === null ? undefined : (value ?? fallback);

/** The section as read, with the defaults filled in and frozen. */
export function toNotificationPolicy(
  section: NotificationsSection | undefined,
): NotificationPolicy {
  const s = section ?? {};
  const days = s.reminders?.days_before_due ?? D.reminders.daysBeforeDue;
  return Object.freeze({
    assigned: s.assigned ?? D.assigned,
    reminders: Object.freeze({
      daysBeforeDue: Object.freeze([...new Set(days)].sort((a, b) => b - a)),
      onDueDay: s.reminders?.on_due_day ?? D.reminders.onDueDay,
      everyDaysOverdue: s.reminders?.every_days_overdue ?? D.reminders.everyDaysOverdue,
      atMost: s.reminders?.at_most ?? D.reminders.atMost,
    }),
    escalation: Object.freeze({
      managerAfterDaysOverdue: offOr(
        s.escalation?.manager_after_days_overdue,
        D.escalation.managerAfterDaysOverdue,
      ),
      hrAfterDaysOverdue: offOr(
        s.escalation?.hr_after_days_overdue,
        D.escalation.hrAfterDaysOverdue,
      ),
      hrAddress: s.escalation?.hr_address?.toLowerCase() ?? D.escalation.hrAddress,
    }),
    workingHours: Object.freeze({
      days: Object.freeze([...new Set(s.working_hours?.days ?? D.workingHours.days)]),
      from: s.working_hours?.from ?? D.workingHours.from,
      to: s.working_hours?.to ?? D.workingHours.to,
      defaultTimeZone: s.working_hours?.default_time_zone ?? D.workingHours.defaultTimeZone,
    }),
    digests: Object.freeze({
      hrWeeklyOn: offOr<Weekday>(s.digests?.hr_weekly_on, D.digests.hrWeeklyOn),
      backgroundCheckStuckDays:
        s.digests?.background_check_stuck_days ?? D.digests.backgroundCheckStuckDays,
      managerWeeklyOn: offOr<Weekday>(s.digests?.manager_weekly_on, D.digests.managerWeeklyOn),
    }),
  });
}
