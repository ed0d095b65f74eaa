import { type FollowUpDates, FollowUpDatesReader } from '../notifications/follow-up-dates.reader';
import { Injectable } from '@nestjs/common';
import type { Principal } from '../access/principal';
import { PENDING_CHECK_STATUSES } from '../background-checks/background-check.entity';
import { Clock } from '../common/clock';
import { toCsv } from '../common/csv/csv';
import { humanDate, humanInstant, label, plural } from '../common/labels';
import { RequirementsService } from '../requirements/requirements.service';
import { completionChartSvg, weeksBetween } from './completion-chart.svg';
import { cursorOf, type OnboardingFilters, type OverdueCursor } from './onboarding.filters';
import {
  type CompletionRow,
  type Grouping,
  OnboardingRepository,
  type OverdueRow,
} from './onboarding.repository';
import { type FilterView, filterView, type HeadlineView, keyText, query } from './onboarding.views';

export const OVERDUE_PAGE_SIZE = 50;
const CHART_WEEKS = 26;

interface CompletionView extends CompletionRow {
  percent: number;
  /** The people of this group still onboarding, on /people; null for "(none)". */
  href: string | null;
  /** The group in words: `Mar 2026` for a start month, `Germany (DE)` for a country. */
  keyText: string;
}

export interface OverviewView {
  title: string;
  filters: OnboardingFilters;
  filter: FilterView;
  headline: HeadlineView[];
  groups: { grouping: Grouping; label: string; rows: CompletionView[] }[];
  chartSvg: string;
}

export interface OverdueView {
  title: string;
  filters: OnboardingFilters;
  filter: FilterView;
  rows: Array<
    OverdueRow & {
      title: string;
      dueText: string;
      overdueText: string;
      remindedText: string;
      escalatedText: string;
    }
  >;
  nextCursor: string | undefined;
  /** The filters as a query string, for page and CSV links. */
  filterQuery: string;
}

function followUpText(dates: FollowUpDates): { remindedText: string; escalatedText: string } {
  return {
    remindedText: dates.lastRemindedAt ? humanInstant(dates.lastRemindedAt) : 'Not yet',
    escalatedText: dates.lastEscalatedAt ? humanInstant(dates.lastEscalatedAt) : 'Not yet',
  };
}

const PARAM: Record<Grouping, keyof OnboardingFilters> = {
  department: 'department',
  country: 'country',
  start_month: 'startMonth',
};

const LABELS: Record<Grouping, string> = {
  department: 'By department',
  country: 'By country',
  start_month: 'By start month',
};

function withPercent(row: CompletionRow): CompletionRow & { percent: number } {
  return { ...row, percent: row.total ? Math.round((row.done / row.total) * 100) : 100 };
}

function groupRow(grouping: Grouping, filters: OnboardingFilters, row: CompletionRow) {
  const href =
    row.key === '(none)'
      ? null
      : `/people?${query({ onboarding: 'open', ...filters, [PARAM[grouping]]: row.key })}`;
  return { ...withPercent(row), href, keyText: keyText(grouping, row.key) };
}

/** HR's view of onboarding: completion, what is overdue, and one person's record. */
@Injectable()
export class OnboardingService {
  constructor(
    private readonly onboarding: OnboardingRepository,
    private readonly requirements: RequirementsService,
    private readonly clock: Clock,
    private readonly followUps: FollowUpDatesReader,
  ) {}

  private today(): string {
    return this.clock.now().toISOString().slice(0, 10);
  }

  async overview(filters: OnboardingFilters): Promise<OverviewView> {
    const today = this.today();
    const groupings: Grouping[] = ['department', 'country', 'start_month'];
    const from = new Date(this.clock.now().getTime() - CHART_WEEKS * 7 * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const weeks = weeksBetween(from, today);
    const [all, pending, choices, completions] = await Promise.all([
      this.onboarding.completionByAll(filters, today),
      this.onboarding.checksPending(PENDING_CHECK_STATUSES),
      this.onboarding.filterChoices(),
      this.onboarding.weeklyCompletions(weeks[0]),
    ]);
    const groups = groupings.map((grouping) => ({
      grouping,
      label: LABELS[grouping],
      rows: all[grouping].map((row) => groupRow(grouping, filters, row)),
    }));
    const filtered = query({ ...filters });
    const headline: HeadlineView[] = [
      {
        testId: 'total-onboarding',
        text: `${plural(all.headline.onboarding, 'person', 'people')} onboarding`,
        href: `/people?${query({ onboarding: 'open', ...filters })}`,
      },
      {
        testId: 'total-overdue',
        text: `${plural(all.headline.overdue, 'person', 'people')} with overdue tasks`,
        href: `/onboarding/overdue${filtered ? `?${filtered}` : ''}`,
      },
      {
        testId: 'total-checks',
        text: `${plural(pending, 'background check')} pending`,
        href: '/background-checks?status=pending',
      },
    ];
    const chartSvg = completionChartSvg(completions, weeks);
    return {
      title: 'Onboarding',
      filters,
      filter: filterView(filters, choices),
      headline,
      groups,
      chartSvg,
    };
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
    const [rows, choices] = await Promise.all([
      this.onboarding.overdue(filters, this.today(), after, OVERDUE_PAGE_SIZE + 1),
      this.onboarding.filterChoices(),
    ]);
    const more = rows.length > OVERDUE_PAGE_SIZE;
    const page = rows.slice(0, OVERDUE_PAGE_SIZE);
    const last = page.at(-1);
    const followUp = await this.followUps.of(page);
    return {
      title: 'Overdue',
      filters,
      filter: filterView(filters, choices),
      filterQuery: query({ ...filters }),
      rows: page.map((r) => ({
        ...r,
        title: `${label(r.subject)} (${label(r.kind).toLowerCase()})`,
        dueText: humanDate(r.dueDate),
        overdueText: plural(r.daysOverdue, 'day'),
        ...followUpText(followUp(r)),
      })),
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
