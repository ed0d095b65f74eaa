import { defineEntity, p } from '@mikro-orm/core';
import { PersonSchema } from '../people/person.entity';
import { appendOnlyTrigger } from '../database/append-only.trigger';
import { DocumentVersionSchema } from './document-version.entity';

export const EsignConsentSchema = defineEntity({
  name: 'EsignConsent',
  tableName: 'esign_consent',
  triggers: [appendOnlyTrigger('esign_consent_append_only')],
  // Consent is recorded once per disclosure version.
  uniques: [
    { name: 'esign_consent_person_disclosure_unique', properties: ['person', 'disclosure'] },
  ],
  properties: {
    id: p.uuid().primary(),
    person: () => p.manyToOne(PersonSchema).index(),
    disclosure: () => p.manyToOne(DocumentVersionSchema),
    disclosureVersion: p.string().length(32),
    disclosureSha256: p.string().length(64),
    consentedAt: p.datetime(),
    sessionId: p.uuid(),
    ip: p.string().length(64).nullable(),
    userAgent: p.string().length(512).nullable(),
  },
});

/** ESIGN §7001(c)(1): the person's consent to electronic records, before the first one. */
export class EsignConsent extends EsignConsentSchema.class {}
EsignConsentSchema.setClass(EsignConsent);
