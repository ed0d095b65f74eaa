import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { AttestationSelection } from './export-filters';

/** One attestation as the export's index lists it; the PDF bytes are fetched separately. */
export interface ExportedAttestation {
  readonly id: string;
  readonly kind: string;
  readonly personId: string;
  readonly employeeNumber: string | null;
  readonly fullName: string;
  readonly email: string;
  readonly department: string | null;
  readonly documentId: string;
  readonly version: string;
  /** ISO 8601 instant, milliseconds, as the evidence writes it. */
  readonly signedAt: string;
  readonly sha256: string;
  readonly size: number;
  /** The keyset position, with the database's full microsecond precision. */
  readonly cursor: AttestationCursor;
}

export interface AttestationCursor {
  readonly at: string;
  readonly id: string;
}

interface Row {
  id: string;
  kind: string;
  person_id: string;
  employee_number: string | null;
  full_name: string;
  email: string;
  department: string | null;
  document_id: string;
  version: string;
  signed_at: string;
  cursor_at: string;
  sha256: string;
  size: number;
}

function where(selection: AttestationSelection, after?: AttestationCursor) {
  const sql: string[] = [];
  const params: unknown[] = [];
  if (selection.signedFrom) {
    sql.push('a.created_at >= ?::timestamptz');
    params.push(selection.signedFrom.toISOString());
  }
  if (selection.signedBefore) {
    sql.push('a.created_at < ?::timestamptz');
    params.push(selection.signedBefore.toISOString());
  }
  if (selection.department !== null) {
    sql.push('p.department = ?');
    params.push(selection.department);
  }
  if (selection.subjects !== null) {
    sql.push(
      `(a.kind, a.document_id) in (select s.kind, s.document_id
         from jsonb_to_recordset(?::jsonb) as s(kind text, document_id text))`,
    );
    params.push(
      JSON.stringify(selection.subjects.map((s) => ({ kind: s.kind, document_id: s.documentId }))),
    );
  }
  if (after) {
    sql.push('(a.created_at, a.id) > (?::timestamptz, ?::uuid)');
    params.push(after.at, after.id);
  }
  return { sql: sql.length > 0 ? `where ${sql.join(' and ')}` : '', params };
}

/**
 * The attestations an export reads: metadata a page at a time by keyset (signing time, id),
 * then the PDFs of one page in a second short query. Every call is one statement on a fork:
 * no transaction stays open while the ZIP goes out to a slow client, and on the embedded
 * database's single connection other requests run between pages.
 */
@Injectable()
export class ExportAttestationRepository {
  constructor(private readonly em: EntityManager) {}

  async count(selection: AttestationSelection): Promise<number> {
    const filter = where(selection);
    const [row] = await this.em
      .fork()
      .execute<{ n: string }[]>(
        `select count(*)::text as n from attestation a join person p on p.id = a.person_id ${filter.sql}`,
        filter.params,
      );
    return Number(row.n);
  }

  async page(
    selection: AttestationSelection,
    after: AttestationCursor | undefined,
    limit: number,
  ): Promise<ExportedAttestation[]> {
    const filter = where(selection, after);
    const rows = await this.em.fork().execute<Row[]>(
      `select a.id, a.kind, a.person_id, p.employee_number, p.full_name, p.email, p.department,
              a.document_id, a.version, a.sha256, a.size,
              to_char(a.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as signed_at,
              to_char(a.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_at
         from attestation a
         join person p on p.id = a.person_id
        ${filter.sql}
        order by a.created_at, a.id
        limit ?`,
      [...filter.params, limit],
    );
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      personId: r.person_id,
      employeeNumber: r.employee_number,
      fullName: r.full_name,
      email: r.email,
      department: r.department,
      documentId: r.document_id,
      version: r.version,
      signedAt: r.signed_at,
      sha256: r.sha256,
      size: Number(r.size),
      cursor: { at: r.cursor_at, id: r.id },
    }));
  }

  /** Departments as HR records them, for the form's suggestions. */
  async departments(): Promise<string[]> {
    const rows = await this.em.fork().execute<{ department: string }[]>(
      `select distinct department from person
        where department is not null and department <> '' order by department limit 500`,
    );
    return rows.map((r) => r.department);
  }

  /** The sealed bytes of these attestations, exactly as issued. */
  async pdfs(ids: readonly string[]): Promise<Map<string, Buffer>> {
    if (ids.length === 0) return new Map();
    const rows = await this.em
      .fork()
      .execute<{ id: string; pdf: Buffer }[]>(
        `select id, pdf from attestation where id = any(string_to_array(?, ',')::uuid[])`,
        [ids.join(',')],
      );
    // The driver hands bytea over as a Buffer already: no copy.
    return new Map(rows.map((r) => [r.id, Buffer.isBuffer(r.pdf) ? r.pdf : Buffer.from(r.pdf)]));
  }
}
