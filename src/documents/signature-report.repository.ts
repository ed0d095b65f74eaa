import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { OPEN_NOW_SQL } from '../requirements/requirement-standing';

export interface DocumentCountsRow {
  document_id: string;
  signed_people: number;
  pending: number;
}

/** One person's standing on one document: their latest signature and their open cycle. */
export interface PersonSigningRow {
  person_id: string;
  full_name: string;
  email: string;
  employee_number: string | null;
  department: string | null;
  /** `signed`, or the open cycle's state: `not_started`, `in_progress`, `overdue`. */
  status: string;
  due_date: string | null;
  /** Signed (done) and the next cycle is scheduled for this day. */
  next_due_date: string | null;
  signature_id: string | null;
  version: string | null;
  document_sha256: string | null;
  signed_at: Date | null;
  mfa: boolean | null;
}

export type SigningFilter = 'signed' | 'pending' | 'all';

/**
 * A person's open cycle for a document or module: the same test as the person's own pages
 * (requirements/requirement-standing.ts), so a passed module's next year is not pending.
 */
const OPEN_CYCLES = `
  select distinct on (a.person_id, a.subject) a.person_id, a.subject as document_id,
         a.due_date, a.status
    from requirement_assignment a join person p on p.id = a.person_id
   where a.kind in ('document', 'training') and ${OPEN_NOW_SQL} and p.status <> 'terminated'`;

/**
 * A person's closed cycle when none is open: done (a signature, a pass, or a signature on paper
 * imported) or waived; done wins, as it does on the person's own pages.
 */
const CLOSED_CYCLES = `
  select distinct on (a.person_id, a.subject) a.person_id, a.subject as document_id, a.status
    from requirement_assignment a
   where a.kind in ('document', 'training') and a.status in ('done', 'waived')`;
const CLOSED_ORDER = `order by a.person_id, a.subject, (a.status = 'waived'), a.completed_at desc`;

/** Who signed what, and who still has to: the HR and auditor view of a document. */
@Injectable()
export class SignatureReportRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * Per document, each person counted once: pending when a cycle is open, signed when they
   * signed (or their cycle is done), neither when it was waived.
   */
  async counts(today: string): Promise<Map<string, DocumentCountsRow>> {
    const rows = await this.em.fork().execute<DocumentCountsRow[]>(
      `with signed as (select distinct s.document_id, s.person_id from signature s),
            open as (${OPEN_CYCLES} order by a.person_id, a.subject, a.due_date),
            closed as (${CLOSED_CYCLES} ${CLOSED_ORDER}),
            everyone as (select document_id, person_id from signed
                         union select document_id, person_id from open
                         union select document_id, person_id from closed)
       select e.document_id,
              count(*) filter (where o.person_id is null
                               and coalesce(c.status::text, 'done') = 'done')::int as signed_people,
              count(*) filter (where o.person_id is not null)::int as pending
         from everyone e
         left join open o on o.document_id = e.document_id and o.person_id = e.person_id
         left join closed c on c.document_id = e.document_id and c.person_id = e.person_id
        group by 1`,
      [today],
    );
    return new Map(rows.map((r) => [r.document_id, r]));
  }

  /**
   * One row per person who signed the document or has an open cycle of it: pending first,
   * soonest due, then signers, latest first. `limit` null means all (for the CSV).
   */
  people(
    documentId: string,
    today: string,
    filter: SigningFilter,
    limit: number | null,
  ): Promise<PersonSigningRow[]> {
    const where =
      filter === 'signed'
        ? 'o.person_id is null'
        : filter === 'pending'
          ? 'o.person_id is not null'
          : 'true';
    return this.em.fork().execute<PersonSigningRow[]>(
      `with latest as (
              select distinct on (s.person_id) s.person_id, s.id as signature_id, s.version,
                     s.document_sha256, s.signed_at, s.mfa
                from signature s where s.document_id = ?
               order by s.person_id, s.signed_at desc, s.id desc),
            open as (${OPEN_CYCLES} and a.subject = ? order by a.person_id, a.subject, a.due_date),
            closed as (${CLOSED_CYCLES} and a.subject = ? ${CLOSED_ORDER}),
            scheduled as (
              select a.person_id, min(a.due_date) as due_date from requirement_assignment a
               where a.subject = ? and a.kind in ('document', 'training')
                 and a.status not in ('done', 'waived', 'not_required') and not ${OPEN_NOW_SQL}
               group by a.person_id)
       select p.id as person_id, p.full_name, p.email, p.employee_number, p.department,
              case when o.person_id is not null then
                     case when o.due_date < ?::date then 'overdue' else o.status::text end
                   when c.status = 'waived' then 'waived' else 'signed' end as status,
              o.due_date::text as due_date,
              case when o.person_id is null then n.due_date::text end as next_due_date,
              l.signature_id, l.version, l.document_sha256,
              l.signed_at, l.mfa
         from person p
         left join latest l on l.person_id = p.id
         left join open o on o.person_id = p.id
         left join closed c on c.person_id = p.id
         left join scheduled n on n.person_id = p.id
        where (l.person_id is not null or o.person_id is not null or c.person_id is not null)
          and ${where}
        order by (o.person_id is null), o.due_date, l.signed_at desc, p.id
        ${limit === null ? '' : 'limit ?'}`,
      [
        documentId,
        today,
        documentId,
        documentId,
        documentId,
        today,
        today,
        ...(limit === null ? [] : [limit]),
      ],
    );
  }
}
