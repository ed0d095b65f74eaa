import { Injectable } from '@nestjs/common';
import type { Principal } from '../access/principal';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { calendarDayOf } from '../common/calendar-day';
import type { AuditPeriod } from './audit-period';
import { ControlMap } from './control-map';
import {
  type AssignmentBucket,
  ControlEvidenceRepository,
  type EvidenceCursor,
} from './control-evidence.repository';
import type { Control, EvidenceSelector } from './controls-file.loader';
import type { CsvRows } from '../common/csv/stream-csv';

const CSV_PAGE_ROWS = 2000;

export const EVIDENCE_CSV_HEADER = [
  'person_id',
  'employee_number',
  'full_name',
  'email',
  'requirement',
  'kind',
  'subject',
  'version',
  'completed_at',
  'source',
  'reference',
];

type Buckets = Record<AssignmentBucket, number>;

interface SelectorStanding extends Buckets {
  kind: string;
  subject: string;
  completions: number;
}

export interface ControlView {
  id: string;
  framework: string;
  title: string;
  description: string;
  selectors: SelectorStanding[];
  total: Buckets & { completions: number };
  completionsBySource: { source: string; count: number }[];
}

export interface ControlsView {
  title: string;
  period: AuditPeriod | undefined;
  controls: ControlView[];
}

const key = (s: { kind: string; subject: string }) => `${s.kind}:${s.subject}`;
const noBuckets = (): Buckets => ({ done: 0, open: 0, overdue: 0, waived: 0, not_required: 0 });

/** Evidence by control: what policies/controls.yml maps, and what the records show. */
@Injectable()
export class ControlsService {
  constructor(
    private readonly map: ControlMap,
    private readonly evidence: ControlEvidenceRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  list(): readonly Control[] {
    return this.map.all();
  }

  /** The selectors of one control, for exports filtered by control. */
  subjectsFor(controlId: string): readonly EvidenceSelector[] {
    return this.map.subjectsFor(controlId);
  }

  /** Per control and per mapped subject: assignments by standing, completions by source. */
  async overview(period: AuditPeriod | undefined): Promise<ControlsView> {
    const controls = this.map.all();
    const selectors = uniqueSelectors(controls);
    const today = calendarDayOf(this.clock.now());
    const assignments = await this.evidence.assignmentCounts(selectors, period, today);
    const completions = await this.evidence.completionCounts(selectors, period);
    return {
      title: 'Evidence by control',
      period,
      controls: controls.map((control) => {
        const wanted = new Set(control.evidence.map(key));
        const bySource = new Map<string, number>();
        for (const c of completions.filter((c) => wanted.has(key(c)))) {
          bySource.set(c.source, (bySource.get(c.source) ?? 0) + c.count);
        }
        const rows = control.evidence.map((selector) => {
          const standing: SelectorStanding = { ...selector, ...noBuckets(), completions: 0 };
          for (const a of assignments.filter((a) => key(a) === key(selector))) {
            standing[a.bucket] += a.count;
          }
          standing.completions = completions
            .filter((c) => key(c) === key(selector))
            .reduce((sum, c) => sum + c.count, 0);
          return standing;
        });
        const total = { ...noBuckets(), completions: 0 };
        for (const row of rows) {
          for (const field of [
            'done',
            'open',
            'overdue',
            'waived',
            'not_required',
            'completions',
          ] as const) {
            total[field] += row[field];
          }
        }
        return {
          id: control.id,
          framework: control.framework,
          title: control.title,
          description: control.description,
          selectors: rows,
          total,
          completionsBySource: [...bySource.entries()]
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([source, count]) => ({ source, count })),
        };
      }),
    };
  }

  /** Every completion evidencing the control, as CSV rows a page at a time; recorded first. */
  async exportCsv(
    actor: Principal,
    controlId: string,
    period: AuditPeriod | undefined,
  ): Promise<AsyncIterable<CsvRows>> {
    const selectors = this.map.subjectsFor(controlId);
    await this.audit.record({
      action: 'control.evidence_exported',
      actorId: actor.personId,
      details: { control: controlId, from: period?.from ?? null, to: period?.to ?? null },
    });
    return this.csvPages(selectors, period);
  }

  private async *csvPages(
    selectors: readonly EvidenceSelector[],
    period: AuditPeriod | undefined,
  ): AsyncIterable<CsvRows> {
    let after: EvidenceCursor | undefined;
    for (;;) {
      const rows = await this.evidence.evidencePage(selectors, period, after, CSV_PAGE_ROWS);
      if (rows.length > 0) {
        yield rows.map((r) => [
          r.personId,
          r.employeeNumber,
          r.fullName,
          r.email,
          r.requirementId,
          r.kind,
          r.subject,
          r.subjectVersion,
          r.completedAt,
          r.source,
          r.reference,
        ]);
      }
      if (rows.length < CSV_PAGE_ROWS) return;
      const last = rows[rows.length - 1];
      after = { completedAt: last.completedAt, id: last.id };
    }
  }
}

function uniqueSelectors(controls: readonly Control[]): EvidenceSelector[] {
  const seen = new Map<string, EvidenceSelector>();
  controls.forEach((c) => c.evidence.forEach((s) => seen.set(key(s), s)));
  return [...seen.values()];
}
