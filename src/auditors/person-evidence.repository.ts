import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { type PopulationRow } from './population.repository';

/** A sealed attestation as the evidence view lists it: never its PDF bytes. */
export interface AttestationRow {
  readonly id: string;
  readonly kind: 'signature' | 'training';
  readonly documentId: string;
  readonly title: string;
  readonly version: string;
  readonly signedAt: string;
}

/** A background check's state and dates; its sealed findings are not read at all. */
export interface CheckRow {
  readonly type: string;
  readonly status: string;
  readonly jurisdiction: string;
  readonly invitedAt: Date | null;
  readonly startedAt: Date | null;
  readonly completedAt: Date | null;
  readonly expiresAt: Date | null;
  readonly waiverReason: string | null;
  readonly updatedAt: Date;
}

const PERSON = `select p.id, p.employee_number as "employeeNumber", p.full_name as "fullName",
  p.email, p.department, p.country, p.employment_type as "employmentType",
  to_char(p.start_date, 'YYYY-MM-DD') as "startDate", to_char(p.end_date, 'YYYY-MM-DD') as "endDate",
  p.status from person p where p.id = ?`;

// The encrypted columns (adjudication notes, report reference) are deliberately not selected.
const CHECKS = `select type, status, jurisdiction, invited_at as "invitedAt", started_at as "startedAt",
  completed_at as "completedAt", expires_at as "expiresAt", waiver_reason as "waiverReason",
  updated_at as "updatedAt" from background_check where person_id = ? order by type`;

const ATTESTATIONS = `select id, kind, document_id as "documentId", version,
  evidence->'document'->>'title' as title, evidence->>'signedAt' as "signedAt"
  from attestation where person_id = ? order by created_at, id`;

/** What an auditor reads about one person: HR facts, sealed attestations, screening states. */
@Injectable()
export class PersonEvidenceRepository {
  constructor(private readonly em: EntityManager) {}

  async person(id: string): Promise<PopulationRow | undefined> {
    const [row] = await this.em.fork().execute<PopulationRow[]>(PERSON, [id]);
    return row;
  }

  attestations(personId: string): Promise<AttestationRow[]> {
    return this.em.fork().execute<AttestationRow[]>(ATTESTATIONS, [personId]);
  }

  checks(personId: string): Promise<CheckRow[]> {
    return this.em.fork().execute<CheckRow[]>(CHECKS, [personId]);
  }
}
