import type { EntityManager } from '@mikro-orm/postgresql';
import type { PersonStatus } from './person.entity';

/** Filters of the HR people list; each is optional. */
export interface PersonFilter {
  /** Words that must each appear in the name, email or employee number, in any case. */
  q?: string;
  /** Matched whatever the case. */
  department?: string;
  country?: string;
  status?: PersonStatus;
  /** Only people whose onboarding (cycle 0) is not finished. */
  onboardingOpen?: boolean;
  /** YYYY-MM of the start date. */
  startMonth?: string;
}

/**
 * What the search matches: the trigram index `person_search_trgm` (migration
 * Migration20261207000000_people_search) is built on exactly this expression.
 */
export const SEARCH_TEXT =
  "lower(p.full_name || ' ' || p.email || ' ' || coalesce(p.employee_number, ''))";

/** `LIKE` takes `%`, `_` and `\\` as patterns; a search means them literally. */
export function likeContains(word: string): string {
  return `%${word.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The filter as SQL over `person p`, with its parameters. */
export function personWhere(filter: PersonFilter): { sql: string; params: unknown[] } {
  const clauses: string[] = ['true'];
  const params: unknown[] = [];
  for (const word of (filter.q ?? '').split(/\s+/).filter(Boolean).slice(0, 8)) {
    clauses.push(`${SEARCH_TEXT} like ?`);
    params.push(likeContains(word));
  }
  if (filter.department) {
    clauses.push('lower(p.department) = lower(?)');
    params.push(filter.department);
  }
  if (filter.country) {
    clauses.push('p.country = upper(?)');
    params.push(filter.country);
  }
  if (filter.status) {
    clauses.push('p.status = ?');
    params.push(filter.status);
  }
  if (filter.startMonth) {
    clauses.push("p.start_date >= ?::date and p.start_date < ?::date + interval '1 month'");
    params.push(`${filter.startMonth}-01`, `${filter.startMonth}-01`);
  }
  if (filter.onboardingOpen) {
    clauses.push(
      'exists (select 1 from onboarding_summary s where s.person_id = p.id and not s.terminated and s.done < s.total)',
    );
  }
  return { sql: clauses.join(' and '), params };
}

/**
 * The distinct non-null values of an indexed column, in order, by a recursive skip scan: as
 * many index lookups as there are values. `table` and `column` are code, never input.
 */
export async function distinctValues(
  em: EntityManager,
  table: 'person' | 'onboarding_summary',
  column: 'department' | 'country' | 'start_month',
): Promise<string[]> {
  const rows = await em.execute<{ value: string }[]>(
    `with recursive v(value) as (
       (select ${column} from ${table} where ${column} is not null order by ${column} limit 1)
       union all
       select (select ${column} from ${table} where ${column} > v.value order by ${column} limit 1)
         from v where v.value is not null)
     select value from v where value is not null`,
  );
  return rows.map((r) => r.value);
}
