import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { AuditPeriod } from './audit-period';
import { type Population, populationSql } from './population';

/** One person as auditors see them in a population: HR fields, no notes, no roles. */
export interface PopulationRow {
  readonly id: string;
  readonly employeeNumber: string | null;
  readonly fullName: string;
  readonly email: string;
  readonly department: string | null;
  readonly country: string | null;
  readonly employmentType: string;
  readonly startDate: string | null;
  readonly endDate: string | null;
  readonly status: string;
  /** ISO instants: when leaving ended their access in Attest, and when the IdP deprovisioned them (SCIM). */
  readonly accessEndedAt?: string | null;
  readonly deprovisionedAt?: string | null;
  /** Leavers: their offboarding checklist's outcome, "2 of 3 done; open: Exit interview". */
  readonly offboarding?: string | null;
}

/** Where a page of a population ends: the last row's employee number and id. */
export interface PopulationCursor {
  readonly employeeNumber: string | null;
  readonly id: string;
}

interface RawRow {
  id: string;
  employee_number: string | null;
  full_name: string;
  email: string;
  department: string | null;
  country: string | null;
  employment_type: string;
  start_date: string | null;
  end_date: string | null;
  status: string;
  access_ended_at: Date | string | null;
  deprovisioned_at: Date | string | null;
}

const COLUMNS = `p.id, p.employee_number, p.full_name, p.email, p.department, p.country,
  p.employment_type, to_char(p.start_date, 'YYYY-MM-DD') as start_date,
  to_char(p.end_date, 'YYYY-MM-DD') as end_date, p.status, p.access_ended_at, p.deprovisioned_at`;

const iso = (value: Date | string | null) =>
  value === null ? null : new Date(value).toISOString();

/**
 * The stable order of every population: employee number compared byte by byte (collation "C",
 * the same on every server, so a sample re-drawn elsewhere sees the same order), people
 * without one last, then id.
 */
const ORDER = 'order by p.employee_number collate "C" asc nulls last, p.id asc';

function toRow(r: RawRow): PopulationRow {
  return {
    id: r.id,
    employeeNumber: r.employee_number,
    fullName: r.full_name,
    email: r.email,
    department: r.department,
    country: r.country,
    employmentType: r.employment_type,
    startDate: r.start_date,
    endDate: r.end_date,
    status: r.status,
    accessEndedAt: iso(r.access_ended_at),
    deprovisionedAt: iso(r.deprovisioned_at),
  };
}

/** Populations and people as SQL: pages by keyset, so 100,000 people never load at once. */
@Injectable()
export class PopulationRepository {
  constructor(private readonly em: EntityManager) {}

  async count(population: Population, period: AuditPeriod): Promise<number> {
    const where = populationSql(population, period);
    const [row] = await this.em
      .fork()
      .execute<{ n: string }[]>(
        `select count(*) as n from person p where ${where.sql}`,
        where.params,
      );
    return Number(row.n);
  }

  /**
   * One page of the population in its stable order, after `after`. People with an employee
   * number come first, then those without: two plain range conditions rather than one with an
   * OR, so that an index on (employee_number collate "C", id) can seek straight to the page.
   */
  async page(
    population: Population,
    period: AuditPeriod,
    after: PopulationCursor | undefined,
    limit: number,
  ): Promise<PopulationRow[]> {
    const where = populationSql(population, period);
    const em = this.em.fork();
    const select = async (condition: string, params: unknown[], n: number) =>
      (
        await em.execute<RawRow[]>(
          `select ${COLUMNS} from person p where ${where.sql} and ${condition} ${ORDER} limit ?`,
          [...where.params, ...params, n],
        )
      ).map(toRow);
    if (after && after.employeeNumber === null) {
      return select('p.employee_number is null and p.id > ?::uuid', [after.id], limit);
    }
    const numbered = after
      ? await select(
          '(p.employee_number collate "C", p.id) > (?, ?::uuid)',
          [after.employeeNumber, after.id],
          limit,
        )
      : await select('p.employee_number is not null', [], limit);
    if (numbered.length === limit) return numbered;
    return [
      ...numbered,
      ...(await select('p.employee_number is null', [], limit - numbered.length)),
    ];
  }

  /** Every id of the population in its stable order: what a sample is drawn from. */
  async ids(
    population: Population,
    period: AuditPeriod,
    em: EntityManager = this.em.fork(),
  ): Promise<string[]> {
    const where = populationSql(population, period);
    const rows = await em.execute<{ id: string }[]>(
      `select p.id from person p where ${where.sql} ${ORDER}`,
      where.params,
    );
    return rows.map((r) => r.id);
  }

  /** These people, in no particular order; ids that do not exist are left out. */
  async byIds(ids: readonly string[]): Promise<PopulationRow[]> {
    if (ids.length === 0) return [];
    const rows = await this.em
      .fork()
      .execute<RawRow[]>(
        `select ${COLUMNS} from person p where p.id in (select jsonb_array_elements_text(?::jsonb)::uuid)`,
        [JSON.stringify(ids)],
      );
    return rows.map(toRow);
  }

  /** Everyone, a page at a time in id order (the primary key: each page is an index seek). */
  async everyone(after: string | undefined, limit: number): Promise<PopulationRow[]> {
    const rows = await this.em
      .fork()
      .execute<RawRow[]>(
        `select ${COLUMNS} from person p ${after ? 'where p.id > ?::uuid' : ''} order by p.id limit ?`,
        after ? [after, limit] : [limit],
      );
    return rows.map(toRow);
  }
}
