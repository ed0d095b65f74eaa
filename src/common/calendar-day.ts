/**
 * Calendar days as `YYYY-MM-DD` strings, in UTC. Strings compare in date order and carry no
 * time zone, so a due date never shifts with the server's zone.
 */
export type CalendarDay = string;

const DAY_MS = 86_400_000;

function parse(day: CalendarDay): Date {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

const UTC_INSTANT = /^\d{4}-\d{2}-\d{2}T[^+]*Z$/;

export function calendarDayOf(instant: Date | string): CalendarDay {
  // The common case, an ISO instant in UTC, needs no Date at all.
  if (typeof instant === 'string' && UTC_INSTANT.test(instant)) return instant.slice(0, 10);
  return (typeof instant === 'string' ? new Date(instant) : instant).toISOString().slice(0, 10);
}

export function addDays(day: CalendarDay, days: number): CalendarDay {
  return calendarDayOf(new Date(parse(day).getTime() + days * DAY_MS));
}

/** Months later, clamped to the month's end: 31 January plus one month is 28 or 29 February. */
export function addMonths(day: CalendarDay, months: number): CalendarDay {
  const start = parse(day);
  const target = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + months, 1));
  const lastDay = new Date(
    Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0),
  ).getUTCDate();
  target.setUTCDate(Math.min(start.getUTCDate(), lastDay));
  return calendarDayOf(target);
}

/** Whole days from `from` to `to`, positive when `to` is later; instants count by their UTC day. */
export function daysBetween(from: CalendarDay, to: CalendarDay): number {
  return Math.round(
    (parse(to.slice(0, 10)).getTime() - parse(from.slice(0, 10)).getTime()) / DAY_MS,
  );
}
