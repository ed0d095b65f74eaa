import { defineEntity, p } from '@mikro-orm/core';
import { appendOnlyTrigger } from '../database/append-only.trigger';

/** What a document is, as its front matter says. `disclosure` is the ESIGN consent text. */
export enum DocumentKind {
  Policy = 'policy',
  Nda = 'nda',
  Confidentiality = 'confidentiality',
  AcceptableUse = 'acceptable-use',
  Training = 'training',
  Disclosure = 'disclosure',
}

/** Every kind a person can be asked to sign or pass: their titles name the tasks. */
export const TASK_KINDS: readonly DocumentKind[] = [
  DocumentKind.Nda,
  DocumentKind.Confidentiality,
  DocumentKind.Policy,
  DocumentKind.AcceptableUse,
  DocumentKind.Training,
];

export enum ChangeKind {
  Material = 'material',
  Minor = 'minor',
}

/** One question of a training quiz, with its answer: never sent to a browser. */
export interface QuizQuestion {
  readonly id: string;
  readonly prompt: string;
  readonly options: readonly string[];
  /** Zero-based index of the correct option. */
  readonly answer: number;
}

export interface Quiz {
  /** Percent of questions to answer correctly, 1..100. */
  readonly passMark: number;
  readonly questions: readonly QuizQuestion[];
}

export const DocumentVersionSchema = defineEntity({
  name: 'DocumentVersion',
  tableName: 'document_version',
  // A published version is evidence of what people signed: the database refuses to change it.
  triggers: [appendOnlyTrigger('document_version_append_only')],
  uniques: [
    { name: 'document_version_document_id_version_unique', properties: ['documentId', 'version'] },
  ],
  properties: {
    id: p.uuid().primary(),
    documentId: p.string().length(100).index(),
    version: p.string().length(32),
    /** Sortable form of the version (zero-padded), so the latest is a plain ORDER BY. */
    versionKey: p.string().length(32),
    title: p.string().length(200),
    kind: p.enum(() => DocumentKind),
    effective: p.string().columnType('date'),
    change: p.enum(() => ChangeKind),
    changes: p.text(),
    /** Minor versions ask people to re-sign too (front matter `resign_on_minor: true`). */
    resignOnMinor: p.boolean(),
    /** The Markdown body without front matter: what the reader sees and the PDF renders. */
    body: p.text(),
    /** The whole source file, byte for byte as UTF-8, which `sha256` covers. */
    source: p.text(),
    sha256: p.string().length(64),
    /** Training modules only: the quiz with its answers. */
    quiz: p.json<Quiz>().nullable(),
    /** Path under policies/ the version was read from. */
    sourcePath: p.string().length(300),
    publishedAt: p.datetime(),
  },
});

/** An immutable version of a document in policies/. Append-only. */
export class DocumentVersion extends DocumentVersionSchema.class {}
DocumentVersionSchema.setClass(DocumentVersion);
