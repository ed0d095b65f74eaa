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
    kind: string;
    documentId: string;
    version: string;
    documentSha256: string;
    signedAt: string;
    mfa: string;
    href: string;
  }[];
}
