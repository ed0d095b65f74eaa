import { defineEntity, p } from '@mikro-orm/core';
import { PersonSchema } from '../people/person.entity';
import { appendOnlyTrigger } from '../database/append-only.trigger';
import { DocumentVersionSchema } from './document-version.entity';

export const DocumentViewSchema = defineEntity({
  name: 'DocumentView',
  tableName: 'document_view',
  triggers: [appendOnlyTrigger('document_view_append_only')],
  // The first time a person opened a version: later views add nothing to the evidence.
  uniques: [
    { name: 'document_view_person_version_unique', properties: ['person', 'documentVersion'] },
  ],
  properties: {
    id: p.uuid().primary(),
    person: () => p.manyToOne(PersonSchema),
    documentVersion: () => p.manyToOne(DocumentVersionSchema),
    viewedAt: p.datetime(),
    sessionId: p.uuid(),
  },
});

/** When a person first opened a document version. Append-only. */
export class DocumentView extends DocumentViewSchema.class {}
DocumentViewSchema.setClass(DocumentView);
