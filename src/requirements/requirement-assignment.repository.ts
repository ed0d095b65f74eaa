import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { prepared, runPrepared } from '../database/prepared-statement';
import { CLOSED_STATUSES, type DerivedAssignment } from './assignment-deriver';
import { RequirementAssignment } from './requirement-assignment.entity';

export interface PersonAssignment extends DerivedAssignment {
  readonly personId: string;
}

/** What one rewrite did. Deriving the same facts twice gives all `unchanged` the second time. */
export interface ReplaceCounts {
  readonly inserted: number;
  readonly updated: number;
  readonly deleted: number;
  readonly unchanged: number;
}

/** The columns a derivation decides; updated_at changes only when one of these does. */
const DERIVED = [
  'kind',
  'subject',
  'due_date',
  'status',
  'completed_at',
  'waived_at',
  'waived_by',
  'waiver_reason',
];

const UPSERT = `
  insert into requirement_assignment as a
    (id, person_id, requirement_id, cycle, ${DERIVED.join(', ')}, updated_at)
  select id, person_id, requirement_id, cycle, ${DERIVED.join(', ')}, ?::timestamptz
    from jsonb_to_recordset(?::jsonb) as x(
      id uuid, person_id uuid, requirement_id text, cycle int, kind text, subject text,
      due_date date, status text, completed_at timestamptz, waived_at timestamptz,
      waived_by uuid, waiver_reason text)
  on conflict (person_id, requirement_id, cycle) do update
    set ${DERIVED.map((c) => `${c} = excluded.${c}`).join(', ')}, updated_at = excluded.updated_at
    where (${DERIVED.map((c) => `a.${c}`).join(', ')})
      is distinct from (${DERIVED.map((c) => `excluded.${c}`).join(', ')})
  returning (xmax = 0) as inserted`;

// Done, waived and not-required rows are history: kept even when their rule no longer applies.
const DELETE_STALE = `
  delete from requirement_assignment a
   where a.person_id = any(?::uuid[])
     and a.status not in (${CLOSED_STATUSES.map((s) => `'${s}'`).join(', ')})
     and not exists (
       select 1 from jsonb_to_recordset(?::jsonb) as k(person_id uuid, requirement_id text, cycle int)
        where k.person_id = a.person_id and k.requirement_id = a.requirement_id and k.cycle = a.cycle)
  returning a.id`;

/**
 * An onboarding assignment: cycle 0 of a joining rule. Work a leaver no longer has to do, and
 * the leaving rules (the offboarding checklist, `?` their ids), are not onboarding.
 */
const ONBOARDING_CYCLE = `a.cycle = 0 and a.status <> 'not_required'
     and a.requirement_id not in (select jsonb_array_elements_text(?::jsonb))`;

/**
 * The upsert and the delete in one statement: they touch disjoint rows (the delete spares every
 * key the upsert writes), so they can share a snapshot.
 */
export const REPLACE = prepared(`with written as (${UPSERT}), deleted as (${DELETE_STALE})
  select (select count(*) from written where inserted) as inserted,
         (select count(*) from written) as written,
         (select count(*) from deleted) as deleted`);

/** Rewrites the onboarding summary of a batch of people from their onboarding assignments. */
export const REFRESH_SUMMARY = prepared(`
  insert into onboarding_summary
    (person_id, department, country, start_month, terminated, total, done, open_due_dates)
  select a.person_id, p.department, p.country, to_char(p.start_date, 'YYYY-MM'),
         p.status = 'terminated', count(*),
         count(*) filter (where a.status in ('done', 'waived')),
         coalesce(array_agg(a.due_date order by a.due_date)
                    filter (where a.status not in ('done', 'waived')), '{}')
    from requirement_assignment a
    join person p on p.id = a.person_id
   where ${ONBOARDING_CYCLE}
     and a.person_id = any(?::uuid[])
   group by a.person_id, p.department, p.country, p.start_date, p.status
  on conflict (person_id) do update
     set department = excluded.department, country = excluded.country,
         start_month = excluded.start_month, terminated = excluded.terminated,
         total = excluded.total, done = excluded.done, open_due_dates = excluded.open_due_dates
   -- An unchanged person is not rewritten, so HR's rollups (onboarding-rollup.triggers.ts) see
   -- only real changes.
   where (onboarding_summary.department, onboarding_summary.country,
          onboarding_summary.start_month, onboarding_summary.terminated, onboarding_summary.total,
          onboarding_summary.done, onboarding_summary.open_due_dates)
         is distinct from (excluded.department, excluded.country, excluded.start_month,
          excluded.terminated, excluded.total, excluded.done, excluded.open_due_dates)`);

/** Drops the summary of people in the batch who no longer have onboarding assignments. */
const DROP_EMPTY_SUMMARIES = prepared(`
  delete from onboarding_summary s
   where s.person_id = any(?::uuid[])
     and not exists (select 1 from requirement_assignment a
                      where a.person_id = s.person_id and ${ONBOARDING_CYCLE})`);

/** The person's id, the kind and the subject: the soonest-due requirement that asks for it. */
const REQUIREMENT_FOR = prepared(`select requirement_id from requirement_assignment
  where person_id = ? and kind = ? and subject = ?
  order by due_date, requirement_id, cycle limit 1`);

@Injectable()
export class RequirementAssignmentRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * The requirement that asks a person for `subject` of `kind`, soonest due first: what a
   * signature completes. One row, read without the ORM: it runs before every signature.
   */
  async requirementFor(personId: string, kind: string, subject: string): Promise<string | null> {
    const [row] = await runPrepared<{ requirement_id: string }>(this.em.fork(), REQUIREMENT_FOR, [
      personId,
      kind,
      subject,
    ]);
    return row?.requirement_id ?? null;
  }

  /** One person's assignments, soonest due first. */
  listForPerson(personId: string): Promise<RequirementAssignment[]> {
    return this.em
      .fork()
      .find(
        RequirementAssignment,
        { person: personId },
        { orderBy: { dueDate: 'asc', requirementId: 'asc', cycle: 'asc' } },
      );
  }

  transactional<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.em.fork().transactional(work);
  }

  /**
   * Makes the stored assignments of `personIds` equal to `assignments`, in set-based
   * statements: upsert what changed, delete open rows that no longer apply. Never touches
   * completions or waivers, which live in their own append-only tables.
   */
  async replaceAssignmentsFor(
    tx: EntityManager,
    personIds: readonly string[],
    assignments: readonly PersonAssignment[],
    now: Date,
    leavingRuleIds: readonly string[] = [],
  ): Promise<ReplaceCounts> {
    if (personIds.length === 0) return { inserted: 0, updated: 0, deleted: 0, unchanged: 0 };
    const rows = JSON.stringify(assignments.map(toRow));
    const [counts] = await runPrepared<{ inserted: string; written: string; deleted: string }>(
      tx,
      REPLACE,
      [now.toISOString(), rows, personIds, rows],
    );
    const leaving = JSON.stringify(leavingRuleIds);
    await runPrepared(tx, REFRESH_SUMMARY, [leaving, personIds]);
    await runPrepared(tx, DROP_EMPTY_SUMMARIES, [personIds, leaving]);
    const [inserted, written, deleted] = [counts.inserted, counts.written, counts.deleted].map(
      Number,
    );
    return {
      inserted,
      updated: written - inserted,
      deleted,
      unchanged: assignments.length - written,
    };
  }

  findByPerson(personId: string): Promise<RequirementAssignment[]> {
    return this.em
      .fork()
      .find(
        RequirementAssignment,
        { person: personId },
        { orderBy: { requirementId: 'asc', cycle: 'asc' } },
      );
  }

  findOne(
    personId: string,
    requirementId: string,
    cycle: number,
  ): Promise<RequirementAssignment | null> {
    return this.em
      .fork()
      .findOne(RequirementAssignment, { person: personId, requirementId, cycle });
  }
}

function toRow(a: PersonAssignment) {
  return {
    id: randomUUID(),
    person_id: a.personId,
    requirement_id: a.requirementId,
    cycle: a.cycle,
    kind: a.kind,
    subject: a.subject,
    due_date: a.dueDate,
    status: a.status,
    completed_at: a.completedAt ?? null,
    waived_at: a.waiver?.waivedAt ?? null,
    waived_by: a.waiver?.waivedBy ?? null,
    waiver_reason: a.waiver?.reason ?? null,
  };
}
