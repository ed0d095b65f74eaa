import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Principal } from '../access/principal';
import { PeopleService } from '../people/people.service';
import { AssignmentStatus } from '../requirements/assignment-deriver';
import { RequirementKind } from '../requirements/requirement-rule';
import { standingText, tagClassOf } from '../requirements/requirement-standing';
import { RequirementsService } from '../requirements/requirements.service';
import { SignatureKind } from '../signatures/signature.entity';
import { SignatureRepository } from '../signatures/signature.repository';
import { documentIntent, type RequestContext } from '../signatures/signing-evidence';
import { diffDocuments } from './document-diff';
import { DocumentKind, type DocumentVersion } from './document-version.entity';
import { DocumentVersionRepository } from './document-version.repository';
import { DocumentNotFound } from './documents.errors';
import type {
  ConsentView,
  DocumentListItemView,
  DocumentReadingView,
  HistoryView,
  MyDocumentsView,
} from './documents.views';
import { EsignCeremony } from './esign-ceremony';
import { MarkdownRenderer } from './markdown.renderer';

export const SIGNABLE_KINDS = [
  DocumentKind.Policy,
  DocumentKind.Nda,
  DocumentKind.Confidentiality,
  DocumentKind.AcceptableUse,
];

/** The pages a person reads and signs documents on. */
@Injectable()
export class DocumentsService {
  constructor(
    private readonly versions: DocumentVersionRepository,
    private readonly signatures: SignatureRepository,
    private readonly ceremony: EsignCeremony,
    private readonly requirements: RequirementsService,
    private readonly people: PeopleService,
    private readonly markdown: MarkdownRenderer,
  ) {}

  async mine(actor: Principal): Promise<MyDocumentsView> {
    const [current, latest, standings, consented] = await Promise.all([
      this.versions.currentOfKinds(SIGNABLE_KINDS),
      this.signatures.latestByDocument(actor.personId),
      this.requirements.standingsFor(actor.personId),
      this.ceremony.hasConsented(actor.personId),
    ]);
    const bySubject = new Map(
      standings.filter((s) => s.kind === RequirementKind.Document).map((s) => [s.subject, s]),
    );
    const toSign: DocumentListItemView[] = [];
    const signed: DocumentListItemView[] = [];
    const other: DocumentListItemView[] = [];
    for (const version of current) {
      const last = latest.get(version.documentId);
      const standing = bySubject.get(version.documentId);
      const item: DocumentListItemView = {
        documentId: version.documentId,
        title: version.title,
        version: version.version,
        dueDate: standing?.open ? standing.dueDate : null,
        overdue: standing?.status === AssignmentStatus.Overdue,
        previouslySigned: last && last.version !== version.version ? last.version : null,
        signedVersion: last?.version ?? null,
        signedAt: last?.signedAt.toISOString() ?? null,
        status: standing?.status ?? null,
        statusText: standing ? standingText(standing) : null,
        tagClass: tagClassOf(standing?.status ?? ''),
        renewal: standing?.renewal ?? false,
      };
      if (standing?.open) toSign.push(item);
      else if (standing || last) signed.push(item);
      else other.push(item);
    }
    toSign.sort((a, b) => (a.dueDate ?? '').localeCompare(b.dueDate ?? ''));
    return { title: 'My documents', consented, toSign, signed, other };
  }

  /**
   * The reading view of a document's current version (or of an older one, read-only), with the
   * signing form when the person may sign it. Opening it records the first view.
   */
  async read(
    actor: Principal,
    documentId: string,
    version: string | undefined,
    context: RequestContext,
    form?: { error: string; typedName: string },
  ): Promise<DocumentReadingView> {
    const current = await this.versions.current(documentId);
    if (!current || !SIGNABLE_KINDS.includes(current.kind)) throw new DocumentNotFound();
    const shown = version ? await this.versions.findVersion(documentId, version) : current;
    if (!shown) throw new DocumentNotFound();
    const superseded = shown.id !== current.id;
    // Opening a document starts it: the requirement reads as in progress everywhere.
    const firstView = await this.ceremony.recordView(actor, shown, context);
    if (firstView && !superseded) {
      await this.requirements.derive([actor.personId]);
    }
    const mine = (await this.signatures.listForPerson(actor.personId)).filter(
      (s) => s.documentId === documentId && s.kind === SignatureKind.Document,
    );
    const signedThis = mine.find((s) => s.version === shown.version) ?? null;
    const lastSigned = mine.find((s) => s.version !== shown.version && !superseded) ?? null;
    const history = lastSigned ? await this.versions.history(documentId) : [];
    const from = lastSigned ? history.find((v) => v.version === lastSigned.version) : undefined;
    const needsConsent = !(await this.ceremony.hasConsented(actor.personId));
    const person = await this.people.findById(actor.personId);
    const canSign = !superseded && !signedThis && !needsConsent && person !== null;
    return {
      title: shown.title,
      csrfToken: actor.csrfToken,
      documentId,
      documentTitle: shown.title,
      kind: shown.kind,
      version: shown.version,
      effective: shown.effective,
      sha256: shown.sha256,
      html: this.markdown.toHtml(shown.body),
      changesSince: from
        ? history
            .filter((v) => v.versionKey > from.versionKey && v.versionKey <= shown.versionKey)
            .map((v) => ({
              version: v.version,
              effective: v.effective,
              change: v.change,
              changes: v.changes,
            }))
        : [],
      lastSignedVersion: lastSigned?.version ?? null,
      diff: from ? diffDocuments(from.body, shown.body, (md) => this.markdown.toHtml(md)) : [],
      signature: signedThis
        ? {
            id: signedThis.id,
            version: signedThis.version,
            signedAt: signedThis.signedAt.toISOString(),
            typedName: signedThis.typedName,
          }
        : null,
      form: canSign ? this.formFor(shown, person.fullName, form?.typedName ?? '') : null,
      needsConsent: needsConsent && !signedThis && !superseded,
      error: form?.error ?? null,
      superseded,
      currentVersion: current.version,
    };
  }

  private formFor(version: DocumentVersion, expectedName: string, typedName: string) {
    return {
      action: `/documents/${version.documentId}/versions/${version.version}/signatures`,
      intentText: documentIntent(version.title, version.version).text,
      // A fresh id per rendering: a double click resubmits the same one.
      submissionId: randomUUID(),
      expectedName,
      typedName,
    };
  }

  async consentPage(actor: Principal, next: string): Promise<ConsentView> {
    const disclosure = await this.versions.currentDisclosure();
    if (!disclosure) throw new DocumentNotFound();
    return {
      title: disclosure.title,
      csrfToken: actor.csrfToken,
      disclosureTitle: disclosure.title,
      version: disclosure.version,
      sha256: disclosure.sha256,
      html: this.markdown.toHtml(disclosure.body),
      consented: await this.ceremony.hasConsented(actor.personId),
      next,
    };
  }

  /**
   * Every signature and training pass, newest first, each with its sealed PDF. Earlier versions
   * of a document stay listed: a record is never replaced by a newer one.
   */
  async history(actor: Principal): Promise<HistoryView> {
    const rows = await this.signatures.listForPerson(actor.personId);
    const versionIds = [...new Set(rows.map((s) => s.documentVersion.id))];
    const versions = new Map((await this.versions.findByIds(versionIds)).map((v) => [v.id, v]));
    const latest = new Set<string>();
    return {
      title: 'My history',
      signatures: rows.map((s) => {
        // Newest first: the first row of a document is its latest signature or pass.
        const earlier = latest.has(s.documentId);
        latest.add(s.documentId);
        const training = s.kind === SignatureKind.Training;
        return {
          id: s.id,
          title: versions.get(s.documentVersion.id)?.title ?? s.documentId,
          version: s.version,
          action: training ? 'Passed' : 'Signed',
          earlier,
          signedAt: s.signedAt.toISOString(),
          mfa: s.mfa === null ? 'Not stated' : s.mfa ? 'Yes' : 'No',
          href: training
            ? `/training/${s.documentId}`
            : `/documents/${s.documentId}/versions/${s.version}`,
          pdfHref: `/attestations/${s.id}/pdf`,
        };
      }),
    };
  }
}

/** Only same-site paths: a consent form cannot bounce the person to another site. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?!\/)[A-Za-z0-9/_.-]{0,200}$/.test(next)
    ? next
    : '/documents';
}
