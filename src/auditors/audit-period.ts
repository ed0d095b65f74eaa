import { addMonths, type CalendarDay } from '../common/calendar-day';
import { PeriodInvalid } from './auditors.errors';

/** The period an auditor asks about: both days included, UTC calendar days. */
export interface AuditPeriod {
  readonly from: CalendarDay;
  readonly to: CalendarDay;
}

/**
 * Five years covers any SOC 2 or ISO 27001 audit window with room to spare, and bounds the
 * work one request can ask for.
 */
export const MAX_PERIOD_MONTHS = 60;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar day written YYYY-MM-DD (no 2026-02-30), or undefined. */
export function calendarDay(value: unknown): CalendarDay | undefined {
  if (typeof value !== 'string') return undefined;
  const match = DAY.exec(value.trim());
  if (!match) return undefined;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  const sameDay =
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return sameDay && year >= 1900 && year <= 2999 ? match[0] : undefined;
}

/** Validates a period at the edge; every refusal says what to type instead. */
export function parsePeriod(from: unknown, to: unknown): AuditPeriod {
  const start = calendarDay(from);
  const end = calendarDay(to);
  if (!start) throw new PeriodInvalid('"from" must be a date written YYYY-MM-DD, e.g. 2026-01-01.');
  if (!end) throw new PeriodInvalid('"to" must be a date written YYYY-MM-DD, e.g. 2026-12-31.');
  if (end < start) throw new PeriodInvalid('"from" must be on or before "to".');
  if (end >= addMonths(start, MAX_PERIOD_MONTHS)) {
    throw new PeriodInvalid(
      `A period covers at most ${MAX_PERIOD_MONTHS / 12} years; split a longer one into parts.`,
    );
  }
  return { from: start, to: end };
}

/** Whether either end was given: a page opened without them shows the form only. */
export function periodGiven(from: unknown, to: unknown): boolean {
  return !(from === undefined || from === '') || !(to === undefined || to === '');
}

/** The twelve months up to today: what the forms offer before anything is chosen. */
export function lastTwelveMonths(today: CalendarDay): AuditPeriod {
  const from = addMonths(today, -12);
  const next = new Date(`${from}T00:00:00.000Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return { from: next.toISOString().slice(0, 10), to: today };
}
