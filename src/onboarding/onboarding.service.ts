import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, NotFoundException } from '@nestjs/common';
import type { Principal } from '../access/principal';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { toCsv } from '../common/csv/csv';
import { PeopleService } from '../people/people.service';
import { AssignmentStatus } from '../requirements/assignment-deriver';
import { RequirementsService } from '../requirements/requirements.service';
import { completionChartSvg, weeksBetween } from './completion-chart.svg';
import { cursorOf, type OnboardingFilters, type OverdueCursor } from './onboarding.filters';
import {
  type CompletionRow,
  type Grouping,
  historyOf,
  OnboardingRepository,
  type OverdueRow,
} from './onboarding.repository';

export const OVERDUE_PAGE_SIZE = 50;
const CHART_WEEKS = 26;

interface CompletionView extends CompletionRow {
  percent: number;
}

export interface OverviewView {
  title: string;
  filters: OnboardingFilters;
  groups: { grouping: Grouping; label: string; rows: CompletionView[] }[];
  chartSvg: string;
}

export interface OverdueView {
  title: string;
  filters: OnboardingFilters;
  rows: OverdueRow[];
  nextCursor: string | undefined;
}

const LABELS: Record<Grouping, string> = {
  department: 'By department',
  country: 'By country',
  start_month: 'By start month',
};

function withPercent(row: CompletionRow): CompletionView {
  return { ...row, percent: row.total ? Math.round((row.done / row.total) * 100) : 100 };
}

/** HR's view of onboarding: completion, what is overdue, and one person's record. */
@Injectable()
export class OnboardingService {
  constructor(
    private readonly onboarding: OnboardingRepository,
    private readonly requirements: RequirementsService,
    private readonly people: PeopleService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly em: EntityManager,
  ) {}

  private today(): string {
    return this.clock.now().toISOString().slice(0, 10);
  }

  async overview(filters: OnboardingFilters): Promise<OverviewView> {
    const today = this.today();
    const groupings: Grouping[] = ['department', 'country', 'start_month'];
    const all = await this.onboarding.completionByAll(filters, today);
    const groups = groupings.map((grouping) => ({
      grouping,
      label: LABELS[grouping],
      rows: all[grouping].map(withPercent),
    }));
    const from = new Date(this.clock.now().getTime() - CHART_WEEKS * 7 * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const weeks = weeksBetween(from, today);
    const chartSvg = completionChartSvg(await this.onboarding.weeklyCompletions(weeks[0]), weeks);
    return { title: 'Onboarding', filters, groups, chartSvg };
  }

  async completionCsv(grouping: Grouping, filters: OnboardingFilters): Promise<string> {
    const rows = (await this.onboarding.completionByAll(filters, this.today()))[grouping];
    return toCsv(
      [grouping, 'people', 'assignments', 'done', 'overdue', 'percent_done'],
      rows.map(withPercent).map((r) => [r.key, r.people, r.total, r.done, r.overdue, r.percent]),
    );
  }

  async overdue(
    filters: OnboardingFilters,
    after: OverdueCursor | undefined,
  ): Promise<OverdueView> {
    const rows = await this.onboarding.overdue(filters, this.today(), after, OVERDUE_PAGE_SIZE + 1);
    const more = rows.length > OVERDUE_PAGE_SIZE;
    const page = rows.slice(0, OVERDUE_PAGE_SIZE);
    const last = page.at(-1);
    return {
      title: 'Overdue',
      filters,
      rows: page,
      nextCursor: more && last ? cursorOf({ dueDate: last.dueDate, id: last.id }) : undefined,
    };
  }

  /** Every overdue row, streamed page by page into one CSV. */
  async overdueCsv(filters: OnboardingFilters): Promise<string> {
    const all: OverdueRow[] = [];
    let after: OverdueCursor | undefined;
    for (;;) {
      const page = await this.onboarding.overdue(filters, this.today(), after, 5000);
      all.push(...page);
      if (page.length < 5000) break;
      const last = page[page.length - 1];
      after = { dueDate: last.dueDate, id: last.id };
    }
    return toCsv(
      ['email', 'full_name', 'department', 'country', 'requirement', 'due_date', 'days_overdue'],
      all.map((r) => [
        r.email,
        r.fullName,
        r.department,
        r.country,
        r.requirementId,
        r.dueDate,
        r.daysOverdue,
      ]),
    );
  }

  async person(actor: Principal, personId: string) {
    const person = await this.people.findById(personId);
    if (!person) throw new NotFoundException();
    await this.audit.record({
      action: 'person.requirements_viewed',
      actorId: actor.personId,
      subjectType: 'person',
      subjectId: personId,
    });
    return {
      title: person.fullName,
      csrfToken: actor.csrfToken,
      canWaive: false,
      person: {
        id: person.id,
        fullName: person.fullName,
        email: person.email,
        department: person.department,
        country: person.country,
        status: person.status,
        startDate: person.startDate,
      },
      assignments: (await this.requirements.assignmentsFor(personId)).map((a) => ({
        ...a,
        waivable: a.status !== AssignmentStatus.Done && a.status !== AssignmentStatus.Waived,
      })),
      history: await historyOf(this.em, personId),
    };
  }

  async waive(
    actor: Principal,
    personId: string,
    requirementId: string,
    cycle: number,
    reason: string,
  ) {
    await this.requirements.waive(actor, personId, requirementId, cycle, reason);
  }
}
