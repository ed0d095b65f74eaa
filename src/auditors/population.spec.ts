import { calendarDay, lastTwelveMonths, parsePeriod } from './audit-period';
import { PeriodInvalid, PopulationUnknown } from './auditors.errors';
import { inPopulation, parsePopulation, Population, type PopulationFacts } from './population';

const PERIOD = { from: '2026-01-01', to: '2026-03-31' };
const person = (startDate: string | null, endDate: string | null = null): PopulationFacts => ({
  startDate,
  endDate,
});

describe(inPopulation.name, () => {
  it.each<[string, PopulationFacts, boolean]>([
    ['started the day before the period', person('2025-12-31'), false],
    ['started on the first day', person('2026-01-01'), true],
    ['started on the last day', person('2026-03-31'), true],
    ['started the day after', person('2026-04-01'), false],
    ['has no start date', person(null), false],
  ])('new hires: someone who %s → %p', (_case, facts, expected) => {
    expect(inPopulation(Population.NewHires, PERIOD, facts)).toBe(expected);
  });

  it.each<[string, PopulationFacts, boolean]>([
    ['left the day before the period', person('2020-01-01', '2025-12-31'), false],
    ['left on the first day', person('2020-01-01', '2026-01-01'), true],
    ['left on the last day', person('2020-01-01', '2026-03-31'), true],
    ['leaves the day after', person('2020-01-01', '2026-04-01'), false],
    ['has no end date', person('2020-01-01'), false],
  ])('terminations: someone who %s → %p', (_case, facts, expected) => {
    expect(inPopulation(Population.Terminations, PERIOD, facts)).toBe(expected);
  });

  it.each<[string, PopulationFacts, boolean]>([
    ['started on the last day', person('2026-03-31'), true],
    ['starts the day after', person('2026-04-01'), false],
    ['has no start date and no end date', person(null), true],
    ['left the day before the period', person('2020-01-01', '2025-12-31'), false],
    ['left on the first day', person('2020-01-01', '2026-01-01'), true],
    ['joined and left within the period', person('2026-02-01', '2026-02-15'), true],
    ['has no start date and left before', person(null, '2025-06-30'), false],
  ])('active: someone who %s → %p', (_case, facts, expected) => {
    expect(inPopulation(Population.Active, PERIOD, facts)).toBe(expected);
  });

  it('knows the populations by their URL names only', () => {
    expect(parsePopulation('new-hires')).toBe(Population.NewHires);
    expect(() => parsePopulation('leavers')).toThrow(PopulationUnknown);
  });
});

describe(parsePeriod.name, () => {
  it('accepts a period of one day and one of just under five years', () => {
    expect(parsePeriod('2026-02-28', '2026-02-28')).toEqual({
      from: '2026-02-28',
      to: '2026-02-28',
    });
    expect(parsePeriod('2021-01-01', '2025-12-31').to).toBe('2025-12-31');
  });

  it.each([
    ['a missing from', undefined, '2026-01-01', '"from" must be a date'],
    ['a non-date', '01/02/2026', '2026-01-01', '"from" must be a date'],
    ['an impossible day', '2026-01-01', '2026-02-30', '"to" must be a date'],
    ['a backwards period', '2026-02-01', '2026-01-31', 'on or before'],
    ['five whole years', '2021-01-01', '2026-01-01', 'at most 5 years'],
  ])('refuses %s with a 400 that says what to do', (_case, from, to, message) => {
    expect(() => parsePeriod(from, to)).toThrow(PeriodInvalid);
    expect(() => parsePeriod(from, to)).toThrow(message);
  });

  it('reads only real calendar days', () => {
    expect(calendarDay('2024-02-29')).toBe('2024-02-29');
    expect(calendarDay('2025-02-29')).toBeUndefined();
    expect(calendarDay(20260101)).toBeUndefined();
  });

  it('offers the last twelve months by default', () => {
    expect(lastTwelveMonths('2026-06-15')).toEqual({ from: '2025-06-16', to: '2026-06-15' });
  });
});
