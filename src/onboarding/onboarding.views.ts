import { countryLabel } from '../people/people.views';
import { humanDate } from '../common/labels';
import type { OnboardingFilters } from './onboarding.filters';
import type { FilterChoices } from './onboarding.repository';

/** One headline figure, in words, linking to the list it counts. */
export interface HeadlineView {
  testId: string;
  text: string;
  href: string;
}

export interface ChoiceView {
  value: string;
  label: string;
  selected: boolean;
}

/** The filter form: each filter a choice among the values in the data. */
export interface FilterView {
  departments: ChoiceView[];
  countries: ChoiceView[];
  startMonths: ChoiceView[];
  active: boolean;
}

/** `2026-03` → `March 2026`. */
function monthLabel(month: string): string {
  return humanDate(`${month}-01`).replace(/^1 /, '');
}

/** A group's key in words; `(none)` reads as "Not recorded". */
export function keyText(grouping: 'department' | 'country' | 'start_month', key: string): string {
  if (key === '(none)') return 'Not recorded';
  if (grouping === 'start_month') return monthLabel(key);
  if (grouping === 'country') return countryLabel(key);
  return key;
}

/** Values compare without case: `engineering` selects `Engineering`. */
function choices(
  values: readonly string[],
  selected: string | undefined,
  labelOf: (value: string) => string,
): ChoiceView[] {
  const wanted = selected?.toLowerCase();
  return values.map((value) => ({
    value,
    label: labelOf(value),
    selected: value.toLowerCase() === wanted,
  }));
}

export function filterView(filters: OnboardingFilters, data: FilterChoices): FilterView {
  return {
    departments: choices(data.departments, filters.department, (v) => v),
    countries: choices(data.countries, filters.country, countryLabel),
    startMonths: choices(data.startMonths, filters.startMonth, monthLabel),
    active: Boolean(filters.department || filters.country || filters.startMonth),
  };
}

/** The defined values as a query string, in a stable order. */
export function query(values: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined && value !== '') params.set(key, value);
  }
  return params.toString();
}
