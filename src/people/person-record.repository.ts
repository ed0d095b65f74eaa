import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';

/** A sealed attestation of the person: a signature or a training pass. */
export interface AttestationRow {
  id: string;
  kind: string;
  documentId: string;
  version: string;
  createdAt: Date;
}

/** One background check of the person, as far as lists show it (never notes or reports). */
export interface CheckRow {
  id: string;
  type: string;
  status: string;
  jurisdiction: string;
  updatedAt: Date;
}

/** One line of the person's history, from any of the tables that record one. */
export interface HistoryRow {
  at: Date;
  what: 'completed' | 'waived' | 'check' | 'person';
  /** Requirement id, check type or audit action. */
  subject: string;
  /** Document version, the check's new status, or null. */
  detail: string | null;
  fromStatus: string | null;
  /** A waiver's reason, or the changed fields of an edit. */
  note: string | null;
  actorName: string | null;
  source: string | null;
}

/** The legal hold in force on the person (policies/retention.yml: it stops every purge). */
export interface LegalHoldRow {
  reason: string;
  placedAt: Date;
  placedByName: string | null;
}

const HISTORY_LIMIT = 200;
/** Actor ids are person ids, or words like `sso` and `system`. */
const UUID = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

/**
 * What the one person page gathers from other areas' tables, read-only and by the person's id
 * (every query is served by an index leading with person_id).
 */
@Injectable()
export class PersonRecordRepository {
  constructor(private readonly em: EntityManager) {}

  async activeHoldOf(personId: string): Promise<LegalHoldRow | null> {
    const [row] = await this.em
      .fork()
      .execute<{ reason: string; placed_at: Date; placed_by_name: string | null }[]>(
        `select h.reason, h.placed_at, p.full_name as placed_by_name
           from legal_hold h left join person p on p.id = h.placed_by
          where h.person_id = ? and h.lifted_at is null`,
        [personId],
      );
    return row
      ? { reason: row.reason, placedAt: new Date(row.placed_at), placedByName: row.placed_by_name }
      : null;
  }

  async attestationsOf(personId: string): Promise<AttestationRow[]> {
    const rows = await this.em
      .fork()
      .execute<
        { id: string; kind: string; document_id: string; version: string; created_at: Date }[]
      >(
        `select id, kind, document_id, version, created_at from attestation
        where person_id = ? order by created_at desc limit 500`,
        [personId],
      );
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      documentId: r.document_id,
      version: r.version,
      createdAt: new Date(r.created_at),
    }));
  }

  async checksOf(personId: string): Promise<CheckRow[]> {
    const rows = await this.em
      .fork()
      .execute<
        { id: string; type: string; status: string; jurisdiction: string; updated_at: Date }[]
      >(
        `select id, type, status, jurisdiction, updated_at from background_check
        where person_id = ? order by type`,
        [personId],
      );
    return rows.map((r) => ({
      id: r.id,
      type: r.type,
      status: r.status,
      jurisdiction: r.jurisdiction,
      updatedAt: new Date(r.updated_at),
    }));
  }

  /**
   * Completions, waivers, background-check status changes and HR's edits of the person, newest
   * first, naming who acted. `withChecks` is false for a viewer who may not see the checks.
   */
  async historyOf(personId: string, withChecks: boolean): Promise<HistoryRow[]> {
    const checks = withChecks
      ? `union all
         select e.at, 'check', c.type::text, e.to_status::text, e.from_status::text, null,
                e.actor_id, e.source::text
           from background_check_event e join background_check c on c.id = e.check_id
          where c.person_id = ?`
      : '';
    const rows = await this.em.fork().execute<
      {
        at: Date;
        what: HistoryRow['what'];
        subject: string;
        detail: string | null;
        from_status: string | null;
        note: string | null;
        actor_name: string | null;
        source: string | null;
      }[]
    >(
      `select h.at, h.what, h.subject, h.detail, h.from_status, h.note, a.full_name as actor_name,
              h.source
         from (
           select completed_at as at, 'completed'::text as what, subject::text as subject,
                  subject_version::text as detail, null::text as from_status, null::text as note,
                  null::text as actor_id, source::text as source
             from requirement_completion where person_id = ?
           union all
           select waived_at, 'waived', requirement_id, null, null, reason, waived_by_id::text, 'hr'
             from requirement_waiver where person_id = ?
           union all
           select occurred_at, 'person', action, null, null,
                  (select string_agg(f, ', ') from jsonb_array_elements_text(
                     case when jsonb_typeof(details -> 'changedFields') = 'array'
                          then details -> 'changedFields' else '[]'::jsonb end) f),
                  actor_id, details ->> 'source'
             from audit_event
            where subject_type = 'person' and subject_id = ?
              and action in ('person.created', 'person.updated', 'person.roles_changed')
           ${checks}
         ) h
         left join person a on a.id = (case when h.actor_id ~ '${UUID}' then h.actor_id::uuid end)
        order by h.at desc
        limit ?`,
      [personId, personId, personId, ...(withChecks ? [personId] : []), HISTORY_LIMIT],
    );
    return rows.map((r) => ({
      at: new Date(r.at),
      what: r.what,
      subject: r.subject,
      detail: r.detail,
      fromStatus: r.from_status,
      note: r.note,
      actorName: r.actor_name,
      source: r.source,
    }));
  }
}
