import { Injectable } from '@nestjs/common';
import type { Principal } from '../access/principal';
import { AuditService } from '../audit/audit.service';
import { toCsv } from '../common/csv/csv';
import { DocumentKind } from './document-version.entity';
import { DocumentVersionRepository } from './document-version.repository';
import { DocumentNotFound } from './documents.errors';
import { SIGNABLE_KINDS } from './documents.service';
import { RequirementsService } from '../requirements/requirements.service';
import type { AssignmentStatus } from '../requirements/assignment-deriver';
import { standingText } from '../requirements/requirement-standing';
import { type PersonSigningRow, SignatureReportRepository } from './signature-report.repository';

/** Rows shown on the page; the CSV has them all. */
export const REPORT_PAGE_ROWS = 500;

export interface DocumentReportIndexView {
  title: string;
  documents: {
    documentId: string;
    title: string;
    kind: string;
    version: string;
    effective: string;
    signedPeople: number;
    pending: number;
  }[];
}

export interface DocumentReportView {
  title: string;
  documentId: string;
  documentTitle: string;
  currentVersion: string;
  versions: { version: string; effective: string; change: string; publishedAt: string }[];
  signers: {
    personId: string;
    fullName: string;
    email: string;
    employeeNumber: string;
    department: string;
    version: string;
    current: boolean;
    signedAt: string;
    mfa: string;
    status: string;
    statusText: string;
  }[];
  pending: {
    personId: string;
    fullName: string;
    email: string;
    department: string;
    dueDate: string;
    status: string;
    statusText: string;
    /** The version they signed before, when this is a re-acknowledgement. */
    signedVersion: string | null;
  }[];
  truncated: boolean;
}

/** HR and auditors: who signed which version of a document, and who is pending. */
@Injectable()
export class SignatureReportService {
  constructor(
    private readonly versions: DocumentVersionRepository,
    private readonly reports: SignatureReportRepository,
    private readonly audit: AuditService,
    private readonly requirements: RequirementsService,
  ) {}

  async index(): Promise<DocumentReportIndexView> {
    const [current, counts] = await Promise.all([
      this.versions.currentOfKinds([...SIGNABLE_KINDS, DocumentKind.Training]),
      this.reports.counts(this.requirements.today()),
    ]);
    return {
      title: 'Documents and signatures',
      documents: current.map((v) => ({
        documentId: v.documentId,
        title: v.title,
        kind: v.kind,
        version: v.version,
        effective: v.effective,
        signedPeople: counts.get(v.documentId)?.signed_people ?? 0,
        pending: counts.get(v.documentId)?.pending ?? 0,
      })),
    };
  }

  async show(actor: Principal, documentId: string): Promise<DocumentReportView> {
    const history = await this.history(documentId);
    const current = history.at(-1)!;
    const today = this.requirements.today();
    const [signers, pending] = await Promise.all([
      this.reports.people(documentId, today, 'signed', REPORT_PAGE_ROWS),
      this.reports.people(documentId, today, 'pending', REPORT_PAGE_ROWS),
    ]);
    await this.recordRead(actor, documentId, 'page');
    return {
      title: `${current.title}: signatures`,
      documentId,
      documentTitle: current.title,
      currentVersion: current.version,
      versions: history
        .map((v) => ({
          version: v.version,
          effective: v.effective,
          change: v.change,
          publishedAt: v.publishedAt.toISOString(),
        }))
        .reverse(),
      signers: signers.map((s) => ({
        personId: s.person_id,
        fullName: s.full_name,
        email: s.email,
        employeeNumber: s.employee_number ?? '',
        department: s.department ?? '',
        version: s.version ?? '',
        current: s.version === current.version,
        signedAt: signedAt(s),
        mfa: !s.signature_id ? '' : s.mfa === null ? 'not stated' : s.mfa ? 'yes' : 'no',
        status: s.status,
        statusText: wordsFor(s),
      })),
      pending: pending.map((p) => ({
        personId: p.person_id,
        fullName: p.full_name,
        email: p.email,
        department: p.department ?? '',
        dueDate: p.due_date ?? '',
        status: p.status,
        statusText: wordsFor(p),
        signedVersion: p.version,
      })),
      truncated: signers.length === REPORT_PAGE_ROWS || pending.length === REPORT_PAGE_ROWS,
    };
  }

  /**
   * One row per person, as on the page: pending (with the version signed before, for a
   * re-acknowledgement) or signed (their latest signature).
   */
  async csv(actor: Principal, documentId: string): Promise<string> {
    await this.history(documentId);
    const rows = await this.reports.people(documentId, this.requirements.today(), 'all', null);
    await this.recordRead(actor, documentId, 'csv');
    return toCsv(
      [
        'status',
        'person_id',
        'employee_number',
        'full_name',
        'email',
        'department',
        'version',
        'document_sha256',
        'signed_at',
        'due_date',
        'mfa',
        'signature_id',
        'status_text',
      ],
      rows.map((r) => [
        r.status,
        r.person_id,
        r.employee_number ?? '',
        r.full_name,
        r.email,
        r.department ?? '',
        r.version ?? '',
        r.document_sha256 ?? '',
        signedAt(r),
        r.due_date ?? '',
        r.mfa === null ? '' : String(r.mfa),
        r.signature_id ?? '',
        wordsFor(r),
      ]),
    );
  }

  private async history(documentId: string) {
    const history = await this.versions.history(documentId);
    if (history.length === 0 || history[0].kind === DocumentKind.Disclosure) {
      throw new DocumentNotFound();
    }
    return history;
  }

  /** Reads of people's signing records are themselves audited. */
  private recordRead(actor: Principal, documentId: string, format: string) {
    return this.audit.record({
      action: 'signature.report.read',
      actorId: actor.personId,
      subjectType: 'document',
      subjectId: documentId,
      details: { format },
    });
  }
}

function signedAt(row: PersonSigningRow): string {
  return row.signed_at ? new Date(row.signed_at).toISOString() : '';
}

/**
 * The person's standing in the words their own pages use (requirements/requirement-standing.ts):
 * a signature is "Done", with the next cycle's date when one is scheduled.
 */
function wordsFor(row: PersonSigningRow): string {
  return standingText({
    status: (row.status === 'signed' ? 'done' : row.status) as AssignmentStatus,
    nextDueDate: row.next_due_date,
  });
}
