import type { CalendarDay } from '../common/calendar-day';
import { WEEKDAYS, type Weekday } from './notification-policy';

/** An instant as a person in one time zone sees it. */
export interface LocalTime {
  readonly day: CalendarDay;
  readonly weekday: Weekday;
  /** Minutes after local midnight. */
  readonly minutes: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formats.set(timeZone, format);
  }
  return format;
}

/** The local day, weekday and time of `at` in `timeZone` (an IANA zone). */
export function localTime(at: Date, timeZone: string): LocalTime {
  const parts: Record<string, string> = {};
  for (const part of formatFor(timeZone).formatToParts(at)) parts[part.type] = part.value;
  const day = `${parts.year}-${parts.month}-${parts.day}`;
  // 1970-01-05 was a Monday; the weekday of a calendar day needs no time zone.
  const weekIndex = (((Math.round(Date.parse(`${day}T00:00:00Z`) / 86_400_000) - 4) % 7) + 7) % 7;
  return {
    day,
    weekday: WEEKDAYS[weekIndex],
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/** ISO 8601 week of a calendar day, e.g. 2026-W49: the key of weekly digests. */
export function isoWeekOf(day: CalendarDay): string {
  const date = new Date(`${day}T00:00:00Z`);
  const weekday = (date.getUTCDay() + 6) % 7;
  date.setUTCDate(date.getUTCDate() - weekday + 3);
  const year = date.getUTCFullYear();
  const firstThursday = new Date(Date.UTC(year, 0, 4));
  const week =
    1 +
    Math.round(
      ((date.getTime() - firstThursday.getTime()) / 86_400_000 -
        3 +
        ((firstThursday.getUTCDay() + 6) % 7)) /
        7,
    );
  return `${year}-W${String(week).padStart(2, '0')}`;
}
