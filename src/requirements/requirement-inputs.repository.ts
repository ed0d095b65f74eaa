import type { EntityManager } from '@mikro-orm/postgresql';
import { EntityManager as RootEntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { Role } from '../access/role';
import { calendarDayOf } from '../common/calendar-day';
import { prepared, runPrepared } from '../database/prepared-statement';
import type { EmploymentType, PersonStatus } from '../people/person.entity';
import type { CompletionFact, PersonFacts, StartFact, WaiverFact } from './assignment-deriver';
import { RequirementKind } from './requirement-rule';

/** Everything derivation needs about a batch of people, read in set-based queries. */
export interface RequirementInputs {
  readonly people: readonly PersonFacts[];
  readonly completions: ReadonlyMap<string, CompletionFact[]>;
  readonly waivers: ReadonlyMap<string, WaiverFact[]>;
  /** Work under way: a document or module opened, a background check ordered. */
  readonly started: ReadonlyMap<string, StartFact[]>;
  /** Background checks HR waived: the screening requirement of that type reads as waived. */
  readonly waivedChecks: ReadonlyMap<string, WaivedCheck[]>;
}

export interface WaivedCheck {
  /** The rules file's spelling of the check type. */
  readonly subject: string;
  readonly waivedAt: string;
  readonly waivedBy: string;
  readonly reason: string;
}

/**
 * The rules file names screening types as the law does (`identity_verification`); the check
 * record as the provider does (`identity`). A requirement follows its check record.
 */
const CHECK_SUBJECT_SQL = `case b.type when 'identity' then 'identity_verification'
  when 'education' then 'education_verification' else b.type::text end`;

/** Statuses of a check that HR or the provider is working on: the requirement is in progress. */
const CHECK_UNDER_WAY = `('invited', 'in_progress', 'consider', 'adverse_action')`;

/**
 * Derivation's inputs for a batch of people ($1, the array of their ids), in one statement
 * of JSON arrays: re-derivation runs inside every signature's transaction, where each round trip
 * counts. The person rows are locked so that a concurrent re-derivation of the same people
 * waits, then reads what this one wrote. Each part reads its table through the person index.
 */
export const LOAD_INPUTS = prepared(`select
         (select coalesce(json_agg(p order by p.id), '[]') from (
            select id, employment_type, country, department, roles, status,
                   start_date::text as start_date, end_date::text as end_date, created_at,
                   access_ended_at
              from person where id = any($1::uuid[]) order by id for no key update) p
         ) as people,
         (select coalesce(json_agg(c), '[]') from (
            select person_id, kind, subject, subject_version, completed_at
              from requirement_completion where person_id = any($1::uuid[])
            union all
            -- A clear background check meets the requirement for its type, as a completion would.
            select b.person_id, '${RequirementKind.BackgroundCheck}' as kind,
                   ${CHECK_SUBJECT_SQL} as subject, null as subject_version,
                   coalesce(b.completed_at, b.updated_at) as completed_at
              from background_check b
             where b.person_id = any($1::uuid[]) and b.status = 'clear') c
         ) as completions,
         (select coalesce(json_agg(w), '[]') from (
            select person_id, requirement_id, cycle, waived_at, waived_by_id, reason
              from requirement_waiver where person_id = any($1::uuid[])) w
         ) as waivers,
         (select coalesce(json_agg(s), '[]') from (
            select b.person_id, '${RequirementKind.BackgroundCheck}' as kind,
                   ${CHECK_SUBJECT_SQL} as subject,
                   coalesce(b.invited_at, b.started_at, b.created_at) as started_at
              from background_check b
             where b.person_id = any($1::uuid[]) and b.status in ${CHECK_UNDER_WAY}
            union all
            select v.person_id,
                   case when d.kind = 'training' then '${RequirementKind.Training}'
                        else '${RequirementKind.Document}' end as kind,
                   d.document_id as subject, v.viewed_at as started_at
              from document_view v join document_version d on d.id = v.document_version_id
             where v.person_id = any($1::uuid[])) s
         ) as started,
         -- Who waived a check: the HR person of its last move to waived (a person id).
         (select coalesce(json_agg(x), '[]') from (
            select b.person_id, ${CHECK_SUBJECT_SQL} as subject, e.at as waived_at,
                   e.actor_id as waived_by, b.waiver_reason as reason
              from background_check b
              join lateral (select at, actor_id from background_check_event
                             where check_id = b.id and to_status = 'waived'
                             order by at desc limit 1) e on true
             where b.person_id = any($1::uuid[]) and b.status = 'waived'
               and e.actor_id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$') x
         ) as waived_checks`);

/**
 * Reads people, completions, waivers, background checks and first views for derivation.
 * Nothing here writes.
 */
@Injectable()
export class RequirementInputsRepository {
  constructor(private readonly em: RootEntityManager) {}

  /** One page of person ids in id order (keyset pagination: steady cost on any page). */
  async personIdsAfter(afterId: string | null, limit: number): Promise<string[]> {
    const rows = await this.em
      .fork()
      .execute<{ id: string }[]>(
        'select id from person where (?::uuid is null or id > ?::uuid) order by id limit ?',
        [afterId, afterId, limit],
      );
    return rows.map((row) => row.id);
  }

  async personExists(personId: string): Promise<boolean> {
    const rows = await this.em
      .fork()
      .execute<{ id: string }[]>('select id from person where id = ?', [personId]);
    return rows.length > 0;
  }

  /** Loads a batch inside the caller's transaction (LOAD_INPUTS). */
  async loadFor(tx: EntityManager, personIds: readonly string[]): Promise<RequirementInputs> {
    const [row] = await runPrepared<InputsRow>(tx, LOAD_INPUTS, [personIds]);
    const { people, completions, waivers, started, waived_checks: waivedChecks } = row;
    return {
      people: people.map(toPersonFacts),
      waivedChecks: groupBy(waivedChecks, (row) => ({
        subject: row.subject,
        waivedAt: instant(row.waived_at),
        waivedBy: row.waived_by,
        reason: row.reason ?? 'Background check waived',
      })),
      started: groupBy(started, (row) => ({
        kind: row.kind,
        subject: row.subject,
        startedAt: instant(row.started_at),
      })),
      completions: groupBy(completions, (row) => ({
        kind: row.kind,
        subject: row.subject,
        subjectVersion: row.subject_version,
        completedAt: instant(row.completed_at),
      })),
      waivers: groupBy(waivers, (row) => ({
        requirementId: row.requirement_id,
        cycle: Number(row.cycle),
        waivedAt: instant(row.waived_at),
        waivedBy: row.waived_by_id,
        reason: row.reason,
      })),
    };
  }
}

/** One statement's answer: each part as the JSON array the database built. */
interface InputsRow {
  people: PersonRow[];
  completions: CompletionRow[];
  waivers: WaiverRow[];
  started: StartRow[];
  waived_checks: WaivedCheckRow[];
}

interface PersonRow {
  id: string;
  employment_type: EmploymentType;
  country: string | null;
  department: string | null;
  roles: Role[] | null;
  status: PersonStatus;
  start_date: string | null;
  end_date: string | null;
  created_at: Date | string;
  access_ended_at: Date | string | null;
}

interface CompletionRow {
  person_id: string;
  kind: RequirementKind;
  subject: string;
  subject_version: string | null;
  completed_at: Date | string;
}

interface StartRow {
  person_id: string;
  kind: RequirementKind;
  subject: string;
  started_at: Date | string;
}

interface WaivedCheckRow {
  person_id: string;
  subject: string;
  waived_at: Date | string;
  waived_by: string;
  reason: string | null;
}

interface WaiverRow {
  person_id: string;
  requirement_id: string;
  cycle: number | string;
  waived_at: Date | string;
  waived_by_id: string;
  reason: string;
}

function toPersonFacts(row: PersonRow): PersonFacts {
  return {
    id: row.id,
    employmentType: row.employment_type,
    country: row.country,
    department: row.department,
    roles: row.roles ?? [],
    status: row.status,
    startDate: row.start_date,
    endDate: row.end_date,
    recordedOn: calendarDayOf(instant(row.created_at)),
    leftOn: row.access_ended_at ? calendarDayOf(instant(row.access_ended_at)) : null,
  };
}

/** The driver may hand back a Date or a string; the deriver works on ISO instants. */
function instant(value: Date | string): string {
  return new Date(value).toISOString();
}

function groupBy<R extends { person_id: string }, T>(
  rows: readonly R[],
  map: (row: R) => T,
): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(row.person_id);
    if (group) group.push(map(row));
    else groups.set(row.person_id, [map(row)]);
  }
  return groups;
}
