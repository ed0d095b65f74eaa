import type { CalendarDay } from '../common/calendar-day';
import { dueText, humanDate, label } from '../common/labels';
import {
  type RequirementStanding,
  SCHEDULED,
  tagClassOf,
} from '../requirements/requirement-standing';

/** The fields of a requirement's standing that the task list reads. */
export type TaskStanding = Pick<
  RequirementStanding,
  'kind' | 'subject' | 'dueDate' | 'status' | 'open' | 'completedAt' | 'nextDueDate'
>;

/** What a document or module is called, and what kind of document it is. */
export interface SubjectInfo {
  readonly title: string;
  readonly kind: string;
}

export type TaskGroupKey = 'agreements' | 'policies' | 'training' | 'screening';

export interface TaskView {
  /** For test hooks and element ids only; never shown as text. */
  key: string;
  title: string;
  /** Where the person does it; none for HR's checks. */
  href: string | null;
  status: string;
  /** GOV.UK tag colour modifier. */
  tagClass: string;
  closed: boolean;
  dueDate: string;
  /** `due in 5 days, 20 Dec 2026`, or when it was done. */
  when: string;
  /** ISO value for the `<time>` element beside `when`. */
  whenIso: string;
}

export interface TaskGroupView {
  key: TaskGroupKey;
  heading: string;
  hint: string | null;
  tasks: TaskView[];
}

export interface TaskListView {
  groups: TaskGroupView[];
  screening: TaskGroupView | null;
  upcoming: TaskView[];
  progress: { done: number; total: number; percent: number; text: string };
  next: { title: string; href: string } | null;
}

const GROUPS: readonly { key: TaskGroupKey; heading: string; hint: string | null }[] = [
  { key: 'agreements', heading: 'Agreements', hint: 'Read and sign each agreement.' },
  { key: 'policies', heading: 'Policies', hint: 'Read each policy and sign that you accept it.' },
  { key: 'training', heading: 'Training', hint: 'Read each module and pass its short quiz.' },
  {
    key: 'screening',
    heading: 'Screening',
    hint: 'HR arranges your background checks with the screening provider. There is nothing for you to do here unless they contact you.',
  },
];

const AGREEMENT_KINDS = new Set(['nda', 'confidentiality']);

function groupOf(standing: TaskStanding, info: SubjectInfo | undefined): TaskGroupKey {
  if (standing.kind === 'training') return 'training';
  if (standing.kind === 'document') {
    return info && AGREEMENT_KINDS.has(info.kind) ? 'agreements' : 'policies';
  }
  return 'screening';
}

function hrefOf(kind: string, subject: string): string | null {
  if (kind === 'document') return `/documents/${encodeURIComponent(subject)}`;
  if (kind === 'training') return `/training/${encodeURIComponent(subject)}`;
  return null;
}

function taskView(s: TaskStanding, info: SubjectInfo | undefined, today: CalendarDay): TaskView {
  const completedOn = s.completedAt?.toISOString() ?? null;
  const done = !s.open && s.status === 'done' && completedOn !== null;
  return {
    key: s.subject,
    title: info?.title ?? label(s.subject),
    href: hrefOf(s.kind, s.subject),
    status: s.status,
    tagClass: tagClassOf(s.status),
    closed: !s.open,
    dueDate: s.dueDate,
    when: done
      ? `done on ${humanDate(completedOn)}`
      : s.open
        ? dueText(s.dueDate, today)
        : `was due ${humanDate(s.dueDate)}`,
    whenIso: done ? completedOn : s.dueDate,
  };
}

/** The next cycle of recurring work, listed under "Coming up". */
function upcomingView(s: TaskStanding, info: SubjectInfo | undefined, next: CalendarDay): TaskView {
  return {
    key: `upcoming-${s.subject}`,
    title: info?.title ?? label(s.subject),
    href: hrefOf(s.kind, s.subject),
    status: SCHEDULED,
    tagClass: tagClassOf(SCHEDULED),
    closed: true,
    dueDate: next,
    when: `next due ${humanDate(next)}`,
    whenIso: next,
  };
}

/**
 * Lays out a person's requirements as a GOV.UK task list: grouped, open work first, progress
 * counted over the person's own tasks (screening is HR's work), next cycles under "Coming up".
 * It reads each standing as given: the rules that decide a state live in requirements/.
 */
export function buildTaskList(
  standings: readonly TaskStanding[],
  subjects: ReadonlyMap<string, SubjectInfo>,
  today: CalendarDay,
): TaskListView {
  const byGroup = new Map<TaskGroupKey, TaskView[]>(GROUPS.map((g) => [g.key, []]));
  const upcoming: TaskView[] = [];
  const order = (a: TaskView, b: TaskView) =>
    Number(a.closed) - Number(b.closed) || a.dueDate.localeCompare(b.dueDate);
  for (const s of standings) {
    // Offboarding tasks are done by HR or the manager, not by the person: not on their list.
    if (s.kind === 'task') continue;
    const info = subjects.get(s.subject);
    const group = groupOf(s, info);
    byGroup.get(group)!.push(taskView(s, info, today));
    if (s.nextDueDate && group !== 'screening') upcoming.push(upcomingView(s, info, s.nextDueDate));
  }
  const groups = GROUPS.map((g) => ({ ...g, tasks: byGroup.get(g.key)!.sort(order) }));
  const own = groups.filter((g) => g.key !== 'screening').flatMap((g) => g.tasks);
  const done = own.filter((t) => t.closed).length;
  const open = own.filter((t) => !t.closed && t.href !== null).sort(order);
  return {
    groups: groups.filter((g) => g.key !== 'screening' && g.tasks.length > 0),
    screening: groups.find((g) => g.key === 'screening' && g.tasks.length > 0) ?? null,
    upcoming: upcoming.sort(order),
    progress: {
      done,
      total: own.length,
      percent: own.length === 0 ? 100 : Math.round((done / own.length) * 100),
      text: `${done} of ${own.length} done`,
    },
    next: open[0] ? { title: open[0].title, href: open[0].href! } : null,
  };
}
