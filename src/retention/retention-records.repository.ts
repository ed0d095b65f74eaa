import type { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { RETENTION_ACTION_PREFIX } from '../audit/audit-event.entity';
import { cutoffDay, type PlannedRule } from './retention-planner';
import { RetentionAnchor, RetentionKind } from './retention-policy';

/**
 * A kind's candidates: one row per record, with its id (as text), the people whose hold keeps
 * it (`person_a`, `person_b`), the country its rule is chosen by, and the anchor its period
 * counts from (a date for end dates, else a time). Nothing here yet says "run out".
 */
type Source = (after: RetentionAnchor) => string;

const PERSON_COUNTRY = 'p.country';

const SOURCES: Readonly<Record<RetentionKind, Source>> = {
  // A session ends at sign-out (or when an admin ends it), or at its absolute limit.
  [RetentionKind.Sessions]: (after) => `
    select 'record' as kind, s.id::text as id, s.person_id as person_a, null::uuid as person_b,
           ${PERSON_COUNTRY} as country,
           ${after === RetentionAnchor.Creation ? 's.created_at' : 'least(s.expires_at, coalesce(s.ended_at, s.expires_at))'} as anchor
      from session s join person p on p.id = s.person_id`,
  // Only settled messages: one still queued or being sent needs its body.
  [RetentionKind.NotificationBodies]: () => `
    select 'notification' as kind, n.id::text as id, n.recipient_person_id as person_a,
           n.about_person_id as person_b,
           null::text as country, n.created_at as anchor
      from notification n
     where n.body_purged_at is null and n.status not in ('queued', 'sending')`,
  [RetentionKind.ExportZips]: () => `
    select 'record' as kind, e.id::text as id, null::uuid as person_a, null::uuid as person_b,
           null::text as country, e.created_at as anchor
      from export_job e
     where e.delivery = 'stored' and e.status = 'done'`,
  // Failed attempts, and passes nothing cites; a cited pass goes with its signature.
  [RetentionKind.TrainingAttempts]: (after) => `
    select 'record' as kind, q.id::text as id, q.person_id as person_a, null::uuid as person_b,
           ${PERSON_COUNTRY} as country,
           ${after === RetentionAnchor.EndDate ? 'p.end_date' : 'q.attempted_at'} as anchor
      from quiz_attempt q join person p on p.id = q.person_id
     where (not q.passed or not exists (select 1 from signature s where s.quiz_attempt_id = q.id))
       and not exists (select 1 from requirement_completion rc
                        where rc.person_id = q.person_id and rc.reference = q.id::text)`,
  // The law that applies to a check is its jurisdiction's (US-CA → US), not where HR files them.
  [RetentionKind.BackgroundCheckDetails]: (after) => `
    select 'record' as kind, b.id::text as id, b.person_id as person_a, null::uuid as person_b,
           upper(left(b.jurisdiction, 2)) as country,
           ${after === RetentionAnchor.EndDate ? 'p.end_date' : 'b.completed_at'} as anchor
      from background_check b join person p on p.id = b.person_id
     where b.adjudication_notes_ciphertext is not null or b.report_reference_ciphertext is not null`,
  [RetentionKind.BackgroundCheckStatus]: (after) => `
    select 'record' as kind, b.id::text as id, b.person_id as person_a, null::uuid as person_b,
           upper(left(b.jurisdiction, 2)) as country,
           ${after === RetentionAnchor.EndDate ? 'p.end_date' : 'b.completed_at'} as anchor
      from background_check b join person p on p.id = b.person_id`,
  [RetentionKind.Signatures]: () => `
    select 'record' as kind, s.id::text as id, s.person_id as person_a, null::uuid as person_b,
           ${PERSON_COUNTRY} as country, p.end_date as anchor
      from signature s join person p on p.id = s.person_id`,
  // Events about a person, never retention's own (purges and holds are kept whole). Person by
  // person through the subject index (`offset 0` keeps the planner from flattening it): few
  // people are past their period and the log is long; flattened, a table without statistics
  // yet was read once per person (6 s a batch for 3,000 events, against 16 ms).
  [RetentionKind.AuditEvents]: () => `
    select 'record' as kind, e.seq::text as id, p.id as person_a, null::uuid as person_b,
           ${PERSON_COUNTRY} as country, p.end_date as anchor
      from person p
     cross join lateral (
       select a.seq from audit_event a
        where a.subject_type = 'person' and a.subject_id = p.id::text
          and a.purged_at is null and a.action not like '${RETENTION_ACTION_PREFIX}%'
       offset 0) e`,
};

// A bundled message (an escalation, a digest) also names people through its steps: a hold on
// any of them keeps the message's body.
const HELD = `(exists (select 1 from legal_hold h
                        where h.lifted_at is null and h.person_id in (c.person_a, c.person_b))
              or (c.kind = 'notification' and exists (
                   select 1 from notification_step ns
                     join legal_hold h on h.person_id = ns.person_id and h.lifted_at is null
                    where ns.notification_id::text = c.id)))`;

/** A JSON array parameter, read in SQL as `(select jsonb_array_elements_text(?::jsonb))`. */
export const jsonList = (values: readonly string[]) => JSON.stringify(values);

/** The candidates of a rule that have run out, with whether a legal hold keeps each. */
function runOut(rule: PlannedRule): { sql: string; params: unknown[] } {
  if (!rule.cutoff) throw new Error('A rule that keeps for ever has nothing to purge');
  const isDay = rule.after === RetentionAnchor.EndDate;
  const countries =
    'only' in rule.countries
      ? 'c.country in (select jsonb_array_elements_text(?::jsonb))'
      : '(c.country is null or c.country not in (select jsonb_array_elements_text(?::jsonb)))';
  const list = 'only' in rule.countries ? rule.countries.only : rule.countries.except;
  return {
    sql: `select c.id, ${HELD} as held from (${SOURCES[rule.kind](rule.after)}) c
           where c.anchor <= ?::${isDay ? 'date' : 'timestamptz'} and ${countries}`,
    params: [isDay ? cutoffDay(rule.cutoff) : rule.cutoff.toISOString(), jsonList(list)],
  };
}

export interface RuleCounts {
  /** Run out and free to purge. */
  readonly due: number;
  /** Run out, but their person is under a legal hold. */
  readonly held: number;
}

/** Finds what a rule has run out on. Purging is the purgers' (retention-purgers.ts). */
@Injectable()
export class RetentionRecordsRepository {
  async count(em: EntityManager, rule: PlannedRule): Promise<RuleCounts> {
    if (!rule.cutoff) return { due: 0, held: 0 };
    const { sql, params } = runOut(rule);
    const [row] = await em.execute<{ due: string; held: string }[]>(
      `select count(*) filter (where not r.held)::text as due,
              count(*) filter (where r.held)::text as held
         from (${sql}) r`,
      params,
    );
    return { due: Number(row?.due ?? 0), held: Number(row?.held ?? 0) };
  }

  /** Up to `limit` ids that have run out and are not held, in a stable order. */
  async nextBatch(em: EntityManager, rule: PlannedRule, limit: number): Promise<string[]> {
    if (!rule.cutoff) return [];
    const { sql, params } = runOut(rule);
    const rows = await em.execute<{ id: string }[]>(
      `select r.id from (${sql}) r where not r.held order by r.id limit ?`,
      [...params, limit],
    );
    return rows.map((r) => r.id);
  }
}
