import { Injectable } from '@nestjs/common';
import { Permission } from '../access/permission';
import type { Principal } from '../access/principal';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { OffboardingChecklistService } from '../offboarding/offboarding-checklist.service';
import { calendarDayOf } from '../common/calendar-day';
import { type AuditPeriod, lastTwelveMonths } from './audit-period';
import { AuditSampleRepository } from './audit-sample.repository';
import { DEFAULT_SAMPLE_SIZE } from './dto/sample-form.dto';
import { Population, POPULATION_LABELS, POPULATIONS } from './population';
import {
  type PopulationCursor,
  PopulationRepository,
  type PopulationRow,
} from './population.repository';
import type { CsvRows } from '../common/csv/stream-csv';

/** Rows of each population the page shows; the CSV has them all. */
export const PREVIEW_ROWS = 10;
/** Rows per database round trip of a CSV download. */
export const CSV_PAGE_ROWS = 2000;

export const POPULATION_CSV_HEADER = [
  'person_id',
  'employee_number',
  'full_name',
  'email',
  'department',
  'country',
  'employment_type',
  'start_date',
  'end_date',
  'status',
  // Leavers (ISO/IEC 27001:2022 A.5.11, A.6.5): when access ended, and the offboarding checklist.
  'access_ended_at',
  'deprovisioned_at',
  'offboarding_checklist',
] as const;

export function populationCsvRow(r: PopulationRow): unknown[] {
  return [
    r.id,
    r.employeeNumber,
    r.fullName,
    r.email,
    r.department,
    r.country,
    r.employmentType,
    r.startDate,
    r.endDate,
    r.status,
    r.accessEndedAt ?? null,
    r.deprovisionedAt ?? null,
    r.offboarding ?? null,
  ];
}

/** What the auditor typed into the sample form, and what was wrong with it. */
export interface SampleFormState {
  readonly population?: string;
  readonly size?: string;
  readonly seed?: string;
  readonly errors?: Partial<Record<'population' | 'size' | 'seed', string>>;
}

export interface SampleFormView {
  options: {
    value: Population;
    label: string;
    selected: boolean;
    count: number;
    /** What an empty size draws: 25, or the whole population when smaller. */
    defaultSize: number;
  }[];
  size: string;
  seed: string;
  errors: Partial<Record<'population' | 'size' | 'seed', string>>;
  /** For the error summary: each problem, linking to its field. */
  errorList: { href: string; text: string }[];
}

export interface PopulationsView {
  title: string;
  period: AuditPeriod;
  /** False until the auditor chooses a period: the page then shows the form only. */
  chosen: boolean;
  csrfToken: string;
  canSample: boolean;
  sample: SampleFormView;
  populations: {
    key: Population;
    label: string;
    count: number;
    rows: PopulationRow[];
    more: boolean;
    /** Leavers: the table adds when access ended and the offboarding checklist. */
    leavers: boolean;
  }[];
  recentSamples: {
    id: string;
    population: string;
    from: string;
    to: string;
    size: number;
    createdAt: string;
  }[];
}

/** Joiners, leavers and everyone active in a period: pages, CSVs and keyset pages. */
@Injectable()
export class PopulationsService {
  constructor(
    private readonly people: PopulationRepository,
    private readonly samples: AuditSampleRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly offboarding: OffboardingChecklistService,
  ) {}

  /** Each row with its offboarding checklist's outcome, for whoever has one. */
  private async withChecklist(rows: PopulationRow[]): Promise<PopulationRow[]> {
    const outcomes = await this.offboarding.outcomesOf(rows.map((r) => r.id));
    return rows.map((row) => {
      const o = outcomes.get(row.id);
      if (!o) return row;
      const open = o.open.length > 0 ? `; open: ${o.open.join(', ')}` : '';
      return { ...row, offboarding: `${o.done} of ${o.total} done${open}` };
    });
  }

  /** The populations page: counts and the first rows of each, or just the form. */
  async overview(
    actor: Principal,
    period: AuditPeriod | undefined,
    form: SampleFormState = {},
  ): Promise<PopulationsView> {
    const shown = period ?? lastTwelveMonths(calendarDayOf(this.clock.now()));
    const populations = period
      ? await Promise.all(
          POPULATIONS.map(async (key) => {
            const count = await this.people.count(key, period);
            const rows = await this.withChecklist(
              await this.people.page(key, period, undefined, PREVIEW_ROWS),
            );
            return {
              key,
              label: POPULATION_LABELS[key],
              count,
              rows,
              more: count > rows.length,
              leavers: key === Population.Terminations,
            };
          }),
        )
      : [];
    if (period) {
      await this.audit.record({
        action: 'population.viewed',
        actorId: actor.personId,
        details: { from: period.from, to: period.to },
      });
    }
    const recent = await this.samples.recent(10);
    return {
      title: 'Populations',
      period: shown,
      chosen: period !== undefined,
      csrfToken: actor.csrfToken,
      canSample: actor.permissions.has(Permission.SampleCreate),
      sample: sampleFormView(populations, form),
      populations,
      recentSamples: recent.map((s) => ({
        id: s.id,
        population: POPULATION_LABELS[s.population],
        from: s.periodFrom,
        to: s.periodTo,
        size: s.size,
        createdAt: s.createdAt.toISOString(),
      })),
    };
  }

  /** The whole population as CSV rows, a page at a time; the download is recorded first. */
  async exportCsv(
    actor: Principal,
    population: Population,
    period: AuditPeriod,
  ): Promise<AsyncIterable<CsvRows>> {
    await this.audit.record({
      action: 'population.exported',
      actorId: actor.personId,
      details: { population, from: period.from, to: period.to },
    });
    return this.csvPages(population, period);
  }

  /** One keyset page of a population and where the next one starts. */
  async page(
    population: Population,
    period: AuditPeriod,
    after: PopulationCursor | undefined,
    limit: number,
  ): Promise<{ rows: PopulationRow[]; next: PopulationCursor | undefined }> {
    const rows = await this.people.page(population, period, after, limit + 1);
    const page = await this.withChecklist(rows.slice(0, limit));
    const last = page.at(-1);
    return {
      rows: page,
      next:
        rows.length > limit && last
          ? { employeeNumber: last.employeeNumber, id: last.id }
          : undefined,
    };
  }

  /**
   * One sorted pass for the ids (a few megabytes at 100,000 people), then the rows by primary
   * key a page at a time: one sort instead of one per keyset page.
   */
  private async *csvPages(population: Population, period: AuditPeriod): AsyncIterable<CsvRows> {
    const ids = await this.people.ids(population, period);
    for (let i = 0; i < ids.length; i += CSV_PAGE_ROWS) {
      const chunk = ids.slice(i, i + CSV_PAGE_ROWS);
      const byId = new Map(
        (await this.withChecklist(await this.people.byIds(chunk))).map((r) => [r.id, r]),
      );
      yield chunk.flatMap((id) => {
        const row = byId.get(id);
        return row ? [populationCsvRow(row)] : [];
      });
    }
  }
}

const FIELD_IDS = { population: 'sample-population', size: 'sample-size', seed: 'sample-seed' };

/** The sample form as typed, with its problems beside each field and in the summary. */
function sampleFormView(
  populations: readonly { key: Population; label: string; count: number }[],
  form: SampleFormState,
): SampleFormView {
  const errors = form.errors ?? {};
  return {
    options: populations.map(({ key, label, count }) => ({
      value: key,
      label,
      selected: key === form.population,
      count,
      defaultSize: Math.min(DEFAULT_SAMPLE_SIZE, count),
    })),
    size: form.size ?? '',
    seed: form.seed ?? '',
    errors,
    errorList: (['population', 'size', 'seed'] as const).flatMap((field) =>
      errors[field] ? [{ href: `#${FIELD_IDS[field]}`, text: errors[field] }] : [],
    ),
  };
}
