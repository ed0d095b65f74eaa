import type { CalendarDay } from '../common/calendar-day';
import type { AuditPeriod } from './audit-period';
import { PopulationUnknown } from './auditors.errors';

/**
 * The populations an auditor tests personnel controls against (SOC 2 CC1.4 and ISO/IEC
 * 27001:2022 A.6.1–A.6.6 are tested on samples of joiners, leavers and current staff).
 */
export enum Population {
  NewHires = 'new-hires',
  Terminations = 'terminations',
  Active = 'active',
}

export const POPULATIONS: readonly Population[] = Object.values(Population);

export const POPULATION_LABELS: Record<Population, string> = {
  [Population.NewHires]: 'New hires',
  [Population.Terminations]: 'Terminations',
  [Population.Active]: 'Active at any time in the period',
};

export function parsePopulation(value: unknown): Population {
  const found = POPULATIONS.find((p) => p === value);
  if (!found) throw new PopulationUnknown();
  return found;
}

/** The HR dates a population is decided on. */
export interface PopulationFacts {
  readonly startDate: CalendarDay | null;
  readonly endDate: CalendarDay | null;
}

const within = (day: CalendarDay | null, { from, to }: AuditPeriod) =>
  day !== null && day >= from && day <= to;

/**
 * Who belongs to a population; both ends of the period count. The end date is the last day
 * worked, so someone whose end date is the first day of the period was active in it.
 * - new hires: started within the period;
 * - terminations: their end date falls within the period (whatever the status says: a leaver
 *   whose status HR has not yet changed is still a leaver, and a terminated person without an
 *   end date cannot be placed in any period);
 * - active: started on or before the last day (or no start date recorded) and not ended
 *   before the first day.
 * {@link populationSql} is the same rule in SQL; the integration test holds them together.
 */
export function inPopulation(
  population: Population,
  period: AuditPeriod,
  person: PopulationFacts,
): boolean {
  switch (population) {
    case Population.NewHires:
      return within(person.startDate, period);
    case Population.Terminations:
      return within(person.endDate, period);
    case Population.Active:
      return (
        (person.startDate === null || person.startDate <= period.to) &&
        (person.endDate === null || person.endDate >= period.from)
      );
    default: {
      const unknown: never = population;
      throw new Error(`unknown population ${String(unknown)}`);
    }
  }
}

/** {@link inPopulation} as a condition on `person p`, with its parameters. */
export function populationSql(
  population: Population,
  period: AuditPeriod,
): { sql: string; params: CalendarDay[] } {
  switch (population) {
    case Population.NewHires:
      return { sql: 'p.start_date between ?::date and ?::date', params: [period.from, period.to] };
    case Population.Terminations:
      return { sql: 'p.end_date between ?::date and ?::date', params: [period.from, period.to] };
    case Population.Active:
      return {
        sql: '(p.start_date is null or p.start_date <= ?::date) and (p.end_date is null or p.end_date >= ?::date)',
        params: [period.to, period.from],
      };
    default: {
      const unknown: never = population;
      throw new Error(`unknown population ${String(unknown)}`);
    }
  }
}
