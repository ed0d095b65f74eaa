import type { ConfirmationView } from '../people/me.service';
import type { DiffLineView } from './document-diff';

export interface DocumentListItemView {
  documentId: string;
  title: string;
  version: string;
  dueDate: string | null;
  overdue: boolean;
  /** The version the person last signed, when a newer one is now in force. */
  previouslySigned: string | null;
  signedVersion: string | null;
  signedAt: string | null;
  /** The requirement's state code; null when no rule asks this person to sign. */
  status: string | null;
  /** The state in words, from requirements/requirement-standing.ts. */
  statusText: string | null;
  tagClass: string;
  /** A re-acknowledgement: signed before, a new version to sign. */
  renewal: boolean;
}

export interface MyDocumentsView {
  title: string;
  consented: boolean;
  toSign: DocumentListItemView[];
  signed: DocumentListItemView[];
  other: DocumentListItemView[];
}

export interface ChangeSummaryView {
  version: string;
  effective: string;
  change: string;
  changes: string;
}

export interface SignatureSummaryView {
  id: string;
  version: string;
  signedAt: string;
  typedName: string;
}

export interface DocumentReadingView {
  title: string;
  csrfToken: string;
  documentId: string;
  documentTitle: string;
  kind: string;
  version: string;
  effective: string;
  sha256: string;
  /** Rendered from the policy's Markdown, raw HTML escaped. */
  html: string;
  /** Versions published since the one the person last signed, oldest first. */
  changesSince: ChangeSummaryView[];
  lastSignedVersion: string | null;
  diff: DiffLineView[];
  signature: SignatureSummaryView | null;
  /** The form, when the person may sign this version now. */
  form: SigningFormView | null;
  needsConsent: boolean;
  error: string | null;
  /** Shown read-only: an older version, linked from history. */
  superseded: boolean;
  currentVersion: string;
  /** The panel right after signing: the sealed PDF and the next task. */
  confirmation?: ConfirmationView | null;
}

export interface SigningFormView {
  action: string;
  intentText: string;
  submissionId: string;
  expectedName: string;
  typedName: string;
}

export interface ConsentView {
  title: string;
  csrfToken: string;
  disclosureTitle: string;
  version: string;
  sha256: string;
  html: string;
  consented: boolean;
  next: string;
}

export interface HistoryView {
  title: string;
  signatures: {
    id: string;
    /** The document's or module's title as it was when signed. */
    title: string;
    version: string;
    /** `Signed` or `Passed`. */
    action: string;
    /** A later version of the same document has been signed since. */
    earlier: boolean;
    signedAt: string;
    mfa: string;
    href: string;
    /** The sealed PDF, the person's own copy. */
    pdfHref: string;
  }[];
}
