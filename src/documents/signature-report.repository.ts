import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';

export interface DocumentCountsRow {
  document_id: string;
  signed_people: number;
  pending: number;
}

export interface SignerRow {
  signature_id: string;
  person_id: string;
  full_name: string;
  email: string;
  employee_number: string | null;
  department: string | null;
  version: string;
  document_sha256: string;
  signed_at: Date;
  mfa: boolean | null;
}

export interface PendingRow {
  person_id: string;
  full_name: string;
  email: string;
  employee_number: string | null;
  department: string | null;
  due_date: string;
  status: string;
}

const OPEN = "a.status not in ('done', 'waived')";

/** Who signed what, and who still has to: the HR and auditor view of a document. */
@Injectable()
export class SignatureReportRepository {
  constructor(private readonly em: EntityManager) {}

  async counts(): Promise<Map<string, DocumentCountsRow>> {
    const rows = await this.em.fork().execute<DocumentCountsRow[]>(
      `select d.document_id,
              (select count(distinct s.person_id)::int from signature s where s.document_id = d.document_id) as signed_people,
              (select count(*)::int from requirement_assignment a
                 join person p on p.id = a.person_id
                where a.subject = d.document_id and a.kind in ('document', 'training')
                  and ${OPEN} and p.status <> 'terminated') as pending
         from (select distinct document_id from document_version where kind <> 'disclosure') d`,
    );
    return new Map(rows.map((r) => [r.document_id, r]));
  }

  /** Signatures of a document, newest first; `limit` null means all (for the CSV). */
  signers(documentId: string, limit: number | null): Promise<SignerRow[]> {
    return this.em.fork().execute<SignerRow[]>(
      `select s.id as signature_id, p.id as person_id, p.full_name, p.email, p.employee_number,
              p.department, s.version, s.document_sha256, s.signed_at, s.mfa
         from signature s join person p on p.id = s.person_id
        where s.document_id = ?
        order by s.signed_at desc, s.id
        ${limit === null ? '' : 'limit ?'}`,
      limit === null ? [documentId] : [documentId, limit],
    );
  }

  /** People with an open assignment for the document, soonest due first. */
  pending(documentId: string, limit: number | null): Promise<PendingRow[]> {
    return this.em.fork().execute<PendingRow[]>(
      `select p.id as person_id, p.full_name, p.email, p.employee_number, p.department,
              a.due_date::text as due_date,
              case when a.due_date < current_date then 'overdue' else a.status end as status
         from requirement_assignment a join person p on p.id = a.person_id
        where a.subject = ? and a.kind in ('document', 'training') and ${OPEN}
          and p.status <> 'terminated'
        order by a.due_date, p.id
        ${limit === null ? '' : 'limit ?'}`,
      limit === null ? [documentId] : [documentId, limit],
    );
  }
}
