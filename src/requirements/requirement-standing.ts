import { addDays, type CalendarDay } from '../common/calendar-day';
import { humanDate, label } from '../common/labels';
import { AssignmentStatus, CLOSED_STATUSES } from './assignment-deriver';

/**
 * A recurrence falling due later than this many days from today is not work yet: the
 * requirement reads as done (or waived), with its next due date. Nearer than that, the next
 * cycle is open and counts as a task.
 */
export const SCHEDULED_AFTER_DAYS = 60;

/** Label code for a closed requirement whose next cycle is already known. */
export const SCHEDULED = 'scheduled';

/** One stored cycle of one rule, as the requirements service reads it. */
export interface CycleRow {
  readonly requirementId: string;
  readonly kind: string;
  readonly subject: string;
  readonly cycle: number;
  readonly dueDate: CalendarDay;
  readonly status: AssignmentStatus | string;
  readonly completedAt: Date | undefined;
}

/**
 * Where one requirement stands for one person today: the one answer every page, CSV, API
 * response and PDF gives. Rules asking for the same work (the same kind and subject) are one
 * requirement: one signed NDA meets them all, so a person sees it once.
 */
export interface RequirementStanding {
  /** The rule whose cycle is shown; `requirementIds` lists every rule met by the same work. */
  readonly requirementId: string;
  readonly requirementIds: readonly string[];
  readonly kind: string;
  readonly subject: string;
  /** The cycle shown: 0 is onboarding, later ones are re-acknowledgements and refreshers. */
  readonly cycle: number;
  readonly status: AssignmentStatus;
  /** Not started, in progress or overdue: something the person (or HR) still has to do. */
  readonly open: boolean;
  readonly dueDate: CalendarDay;
  /** When the shown cycle was met; for an open cycle, when the previous one was. */
  readonly completedAt: Date | undefined;
  /** An open cycle after an earlier one closed: a re-acknowledgement or a yearly refresher. */
  readonly renewal: boolean;
  /** A closed requirement whose next cycle falls due later: scheduled for this day. */
  readonly nextDueDate: CalendarDay | null;
}

const CLOSED = new Set<string>(CLOSED_STATUSES);

/** Most urgent first: what is shown when several rules ask for the same work. */
const URGENCY: Record<string, number> = {
  [AssignmentStatus.Overdue]: 0,
  [AssignmentStatus.InProgress]: 1,
  [AssignmentStatus.NotStarted]: 2,
  [AssignmentStatus.Done]: 3,
  [AssignmentStatus.Waived]: 4,
  [AssignmentStatus.NotRequired]: 5,
};

/**
 * The standing of each requirement from a person's stored cycles: the current cycle only,
 * overdue when open and past due, a far-off next cycle read as scheduled (never "not started"),
 * and one row per kind and subject. Sorted by due date, then subject.
 */
export function standingsOf(rows: readonly CycleRow[], today: CalendarDay): RequirementStanding[] {
  const byRule = new Map<string, CycleRow[]>();
  for (const row of rows) {
    const cycles = byRule.get(row.requirementId);
    if (cycles) cycles.push(row);
    else byRule.set(row.requirementId, [row]);
  }
  const bySubject = new Map<string, RequirementStanding[]>();
  for (const cycles of byRule.values()) {
    const standing = ruleStanding(cycles, today);
    const key = `${standing.kind}\u0000${standing.subject}`;
    const group = bySubject.get(key);
    if (group) group.push(standing);
    else bySubject.set(key, [standing]);
  }
  return [...bySubject.values()]
    .map(merge)
    .sort(
      (a, b) =>
        compare(a.dueDate, b.dueDate) || compare(a.subject, b.subject) || compare(a.kind, b.kind),
    );
}

function ruleStanding(unsorted: readonly CycleRow[], today: CalendarDay): RequirementStanding {
  const cycles = [...unsorted].sort((a, b) => a.cycle - b.cycle);
  const current = cycles[cycles.length - 1];
  const previous = cycles.length > 1 ? cycles[cycles.length - 2] : undefined;
  const base = {
    requirementId: current.requirementId,
    requirementIds: [current.requirementId],
    kind: current.kind,
    subject: current.subject,
  };
  if (CLOSED.has(current.status)) {
    return {
      ...base,
      cycle: current.cycle,
      status: current.status as AssignmentStatus,
      open: false,
      dueDate: current.dueDate,
      completedAt: current.completedAt,
      renewal: false,
      nextDueDate: null,
    };
  }
  const status =
    current.dueDate < today ? AssignmentStatus.Overdue : (current.status as AssignmentStatus);
  const farOff =
    status === AssignmentStatus.NotStarted &&
    current.dueDate > addDays(today, SCHEDULED_AFTER_DAYS);
  if (previous && CLOSED.has(previous.status) && farOff) {
    return {
      ...base,
      cycle: previous.cycle,
      status: previous.status as AssignmentStatus,
      open: false,
      dueDate: previous.dueDate,
      completedAt: previous.completedAt,
      renewal: false,
      nextDueDate: current.dueDate,
    };
  }
  return {
    ...base,
    cycle: current.cycle,
    status,
    open: true,
    dueDate: current.dueDate,
    completedAt: previous?.completedAt,
    renewal: previous !== undefined,
    nextDueDate: null,
  };
}

function merge(group: readonly RequirementStanding[]): RequirementStanding {
  const [first] = [...group].sort(
    (a, b) =>
      URGENCY[a.status] - URGENCY[b.status] ||
      (a.open ? compare(a.dueDate, b.dueDate) : compareInstants(b.completedAt, a.completedAt)) ||
      compare(a.requirementId, b.requirementId),
  );
  const next = first.open
    ? null
    : (group
        .map((s) => s.nextDueDate)
        .filter((d): d is CalendarDay => d !== null)
        .sort()[0] ?? null);
  return {
    ...first,
    requirementIds: group.map((s) => s.requirementId).sort(compare),
    nextDueDate: next,
  };
}

/** The words for a standing: `Overdue`, `Done`, `Done, next due 6 Dec 2027`. */
export function standingText(
  standing: Pick<RequirementStanding, 'status' | 'nextDueDate'>,
): string {
  const words = label(standing.status);
  return standing.nextDueDate ? `${words}, next due ${humanDate(standing.nextDueDate)}` : words;
}

/** Done or waived count as done in "4 of 11 done". */
export function doneCount(standings: readonly RequirementStanding[]): number {
  return standings.filter((s) => !s.open).length;
}

/**
 * The SQL twin of `open` above, for set-based reports over everyone (alias `a` is a
 * requirement_assignment row, `?` today's date): the row is the person's current open cycle,
 * not a recurrence scheduled beyond the horizon.
 */
export const OPEN_NOW_SQL = `(a.status not in ('done', 'waived', 'not_required')
  and not (a.cycle > 0 and a.status = 'not_started' and a.due_date > ?::date + ${SCHEDULED_AFTER_DAYS}))`;

function compareInstants(a: Date | undefined, b: Date | undefined): number {
  return (a?.getTime() ?? 0) - (b?.getTime() ?? 0);
}

/** Code-unit order: the same everywhere, unlike localeCompare. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const TAGS: Record<string, string> = {
  [AssignmentStatus.Done]: 'govuk-tag--green',
  [AssignmentStatus.Waived]: 'govuk-tag--grey',
  [AssignmentStatus.Overdue]: 'govuk-tag--red',
  [AssignmentStatus.InProgress]: 'govuk-tag--light-blue',
  [AssignmentStatus.NotStarted]: 'govuk-tag--blue',
  [AssignmentStatus.NotRequired]: 'govuk-tag--grey',
};

/** The GOV.UK tag colour of a status: the same on every page. */
export function tagClassOf(status: string): string {
  return TAGS[status] ?? 'govuk-tag--grey';
}
