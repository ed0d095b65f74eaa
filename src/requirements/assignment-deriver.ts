import type { Role } from '../access/role';
import { addDays, addMonths, type CalendarDay, calendarDayOf } from '../common/calendar-day';
import { type EmploymentType, PersonStatus } from '../people/person.entity';
import type { RequirementKind, RequirementRule, RequirementSelector } from './requirement-rule';

export enum AssignmentStatus {
  NotStarted = 'not_started',
  InProgress = 'in_progress',
  Done = 'done',
  Overdue = 'overdue',
  Waived = 'waived',
  /**
   * The person left before doing it: kept, closed, never reminded of. Nothing they did or were
   * excused from turns into this; only work still open when they left.
   */
  NotRequired = 'not_required',
}

/** Statuses that close a cycle: nobody is waiting for anything. */
export const CLOSED_STATUSES: readonly AssignmentStatus[] = [
  AssignmentStatus.Done,
  AssignmentStatus.Waived,
  AssignmentStatus.NotRequired,
];

/** The HR facts a rule can select on. */
export interface PersonFacts {
  readonly id: string;
  readonly employmentType: EmploymentType;
  readonly country: string | null;
  readonly department: string | null;
  readonly roles: readonly Role[];
  readonly status: PersonStatus;
  readonly startDate: CalendarDay | null;
  readonly endDate: CalendarDay | null;
  /** The day Attest first recorded the person: stands in for a start date HR has not given. */
  readonly recordedOn: CalendarDay;
  /** The day leaving ended their access (Person.accessEndedAt), if it has. */
  readonly leftOn?: CalendarDay | null;
}

/**
 * Something the person did. It meets every rule with the same kind and subject, whichever
 * requirement it was recorded against: renaming a rule, or a contractor becoming an employee,
 * does not lose a signature.
 */
export interface CompletionFact {
  readonly kind: RequirementKind;
  readonly subject: string;
  /** ISO 8601 instant. */
  readonly completedAt: string;
  /** Documents: the version signed. */
  readonly subjectVersion?: string | null;
}

export interface WaiverFact {
  readonly requirementId: string;
  readonly cycle: number;
  /** ISO 8601 instant. */
  readonly waivedAt: string;
  readonly waivedBy: string;
  readonly reason: string;
}

/** Something under way: a check ordered, a course opened. */
export interface StartFact {
  readonly kind: RequirementKind;
  readonly subject: string;
  /** ISO 8601 instant. */
  readonly startedAt: string;
}

export interface DocumentVersionFact {
  readonly version: string;
  readonly publishedOn: CalendarDay;
  /** A material change asks everyone who signed an earlier version to sign again. */
  readonly material: boolean;
}

export interface DerivationInput {
  readonly rules: readonly RequirementRule[];
  readonly person: PersonFacts;
  readonly today: CalendarDay;
  readonly completions: readonly CompletionFact[];
  readonly waivers: readonly WaiverFact[];
  /** Per document id, its published versions (any order; the latest publication is current). */
  readonly publications: ReadonlyMap<string, readonly DocumentVersionFact[]>;
  readonly started?: readonly StartFact[];
}

export interface DerivedAssignment {
  readonly requirementId: string;
  readonly kind: RequirementKind;
  readonly subject: string;
  /** 0 is onboarding; 1, 2, ... are recurrences and re-acknowledgements, in order. */
  readonly cycle: number;
  readonly dueDate: CalendarDay;
  readonly status: AssignmentStatus;
  readonly completedAt?: string;
  readonly waiver?: {
    readonly waivedAt: string;
    readonly waivedBy: string;
    readonly reason: string;
  };
}

/**
 * A person whose last day was more than this long before Attest first recorded them left
 * before Attest was there to offboard them: their leaving rules do not apply.
 */
const LEFT_BEFORE_DAYS = 30;

/**
 * What one person must do, has done, or was excused from, by cycle. Pure: the same input
 * always gives the same output, sorted by requirement id and cycle.
 */
export function deriveAssignments(input: DerivationInput): DerivedAssignment[] {
  const { person } = input;
  const anchor = person.startDate ?? person.recordedOn;
  const leaver = hasLeft(person, input.today);
  // Offboarding starts as soon as a leaving date is known, while the person may still work;
  // not for someone who had long left when Attest first recorded them (a history import).
  const leftLongBefore =
    person.endDate !== null && person.endDate < addDays(person.recordedOn, -LEFT_BEFORE_DAYS);
  const leaving =
    (person.status === PersonStatus.Terminated || person.endDate !== null) && !leftLongBefore;
  // Deterministic: a terminated person with neither date counts from when Attest saw them.
  const endAnchor = person.endDate ?? person.leftOn ?? person.recordedOn;
  return input.rules
    .filter((rule) => selects(rule.appliesTo, person))
    .filter((rule) => rule.dueDaysAfterEnd === undefined || leaving)
    .flatMap((rule) =>
      rule.dueDaysAfterEnd === undefined
        ? deriveRule(rule, input, anchor, leaver)
        : deriveRule({ ...rule, dueDaysAfterStart: rule.dueDaysAfterEnd }, input, endAnchor, false),
    )
    .sort((a, b) => compare(a.requirementId, b.requirementId) || a.cycle - b.cycle);
}

/** Terminated, or past their last day: their open joining and recurring work is not required. */
export function hasLeft(
  person: { readonly status: PersonStatus; readonly endDate?: CalendarDay | null },
  today: CalendarDay,
): boolean {
  return (
    person.status === PersonStatus.Terminated ||
    (person.endDate !== null && person.endDate !== undefined && person.endDate < today)
  );
}

export function selects(selector: RequirementSelector, person: PersonFacts): boolean {
  const country = person.country?.toUpperCase() ?? null;
  const department = person.department?.trim().toLowerCase() ?? null;
  return (
    (!selector.countries || (country !== null && selector.countries.includes(country))) &&
    (!selector.excludeCountries ||
      country === null ||
      !selector.excludeCountries.includes(country)) &&
    (!selector.employmentTypes || selector.employmentTypes.includes(person.employmentType)) &&
    (!selector.departments ||
      (department !== null &&
        selector.departments.some((d) => d.trim().toLowerCase() === department))) &&
    (!selector.roles || selector.roles.some((role) => person.roles.includes(role)))
  );
}

interface Closed {
  readonly day: CalendarDay;
  /** How far through the document's versions the person has signed (or been excused). */
  readonly rank: number;
  /** Index of the last completion used, so one completion closes at most one cycle. */
  readonly index: number;
}

function deriveRule(
  rule: RequirementRule,
  input: DerivationInput,
  anchor: CalendarDay,
  leaver: boolean,
): DerivedAssignment[] {
  const same = (fact: { kind: RequirementKind; subject: string }) =>
    fact.kind === rule.kind && fact.subject === rule.subject;
  const versions = versionsOf(rule, input.publications);
  // Day and version rank computed once per completion: this loop runs a million times a night.
  const completions = input.completions
    .filter(same)
    .sort(
      (a, b) =>
        compare(a.completedAt, b.completedAt) ||
        compare(a.subjectVersion ?? '', b.subjectVersion ?? ''),
    )
    .map((c) => ({
      completedAt: c.completedAt,
      day: calendarDayOf(c.completedAt),
      rank: rankOfSignature(versions, c),
    }));
  const waivers = new Map<number, WaiverFact>();
  for (const waiver of input.waivers) {
    const earlier = waivers.get(waiver.cycle);
    const isEarlier = !earlier || compare(waiver.waivedAt, earlier.waivedAt) < 0;
    if (waiver.requirementId === rule.id && isEarlier) waivers.set(waiver.cycle, waiver);
  }

  const base = { requirementId: rule.id, kind: rule.kind, subject: rule.subject };
  const out: DerivedAssignment[] = [];
  let previous: Closed | undefined;
  for (let cycle = 0; ; cycle++) {
    let dueDate: CalendarDay;
    let neededRank = -1;
    if (previous === undefined) {
      dueDate = addDays(anchor, rule.dueDaysAfterStart);
    } else {
      const closed: Closed = previous;
      const recurring =
        rule.recurrenceMonths === undefined
          ? undefined
          : addMonths(closed.day, rule.recurrenceMonths);
      const pending =
        rule.reacknowledgeDays === undefined
          ? undefined
          : versions.findIndex((v, rank) => rank > closed.rank && v.material);
      const reack =
        pending === undefined || pending < 0
          ? undefined
          : addDays(versions[pending].publishedOn, rule.reacknowledgeDays ?? 0);
      if (reack !== undefined && (recurring === undefined || reack <= recurring)) {
        dueDate = reack;
        neededRank = pending ?? -1;
      } else if (recurring !== undefined) {
        dueDate = recurring;
      } else {
        break;
      }
    }

    const after = previous?.index ?? -1;
    const closingIndex = completions.findIndex(
      (c, index) =>
        index > after &&
        c.rank >= neededRank &&
        // A second record of the same day's completion (an import and a signature) is not a
        // new cycle; a re-signature of a new version the same day is.
        (previous === undefined || neededRank >= 0 || c.day > previous.day),
    );
    const waiver = waivers.get(cycle);
    if (closingIndex >= 0) {
      const closing = completions[closingIndex];
      out.push({
        ...base,
        cycle,
        dueDate,
        status: AssignmentStatus.Done,
        completedAt: closing.completedAt,
      });
      previous = {
        day: closing.day,
        rank: Math.max(previous?.rank ?? -1, closing.rank),
        index: closingIndex,
      };
    } else if (waiver) {
      const { waivedAt, waivedBy, reason } = waiver;
      out.push({
        ...base,
        cycle,
        dueDate,
        status: AssignmentStatus.Waived,
        waiver: { waivedAt, waivedBy, reason },
      });
      const day = calendarDayOf(waivedAt);
      // A waiver excuses the versions published by then, so it does not reopen them.
      const excused = Math.max(neededRank, latestRankOn(versions, day));
      previous = { day, rank: Math.max(previous?.rank ?? -1, excused), index: after };
    } else {
      // ISO/IEC 27001:2022 A.6.5: what a leaver had not done is closed, not forgotten: the row
      // stays for auditors as "not required after leaving".
      const status = leaver
        ? AssignmentStatus.NotRequired
        : openStatus(rule, input, dueDate, previous);
      out.push({ ...base, cycle, dueDate, status });
      break;
    }
  }
  return out;
}

function openStatus(
  rule: RequirementRule,
  input: DerivationInput,
  dueDate: CalendarDay,
  previous: Closed | undefined,
): AssignmentStatus {
  // Late is what HR must see first, even when the work has begun.
  if (input.today > dueDate) return AssignmentStatus.Overdue;
  const begun = (input.started ?? []).some(
    (s) =>
      s.kind === rule.kind &&
      s.subject === rule.subject &&
      (previous === undefined || calendarDayOf(s.startedAt) > previous.day),
  );
  return begun ? AssignmentStatus.InProgress : AssignmentStatus.NotStarted;
}

/** A document's versions in publication order; nothing for training and checks. */
function versionsOf(
  rule: RequirementRule,
  publications: ReadonlyMap<string, readonly DocumentVersionFact[]>,
): DocumentVersionFact[] {
  if (rule.reacknowledgeDays === undefined) return [];
  return [...(publications.get(rule.subject) ?? [])].sort(
    (a, b) => compare(a.publishedOn, b.publishedOn) || compareVersions(a.version, b.version),
  );
}

/** Which version a signature covers; without a recorded version, the one current that day. */
function rankOfSignature(versions: readonly DocumentVersionFact[], c: CompletionFact): number {
  const known = c.subjectVersion ? versions.findIndex((v) => v.version === c.subjectVersion) : -1;
  return known >= 0 ? known : latestRankOn(versions, calendarDayOf(c.completedAt));
}

function latestRankOn(versions: readonly DocumentVersionFact[], day: CalendarDay): number {
  let rank = -1;
  versions.forEach((v, index) => {
    if (v.publishedOn <= day) rank = index;
  });
  return rank;
}

/** 1.9.0 before 1.10.0: versions published the same day are ordered by number. */
function compareVersions(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0 && !Number.isNaN(d)) return d;
  }
  return compare(a, b);
}

/** Code-unit order: the same everywhere, unlike localeCompare. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
