import { defineEntity, p } from '@mikro-orm/core';
import { PersonSchema } from '../people/person.entity';
import { purgeableAppendOnlyTrigger } from '../database/append-only.trigger';
import { DocumentVersionSchema } from '../documents/document-version.entity';

export enum SignatureKind {
  /** A document signed with the ESIGN/UETA flow. */
  Document = 'document',
  /** A training module passed, attested the same way. */
  Training = 'training',
}

export const TYPED_NAME_MAX_LENGTH = 200;
export const USER_AGENT_MAX_LENGTH = 512;

export const SignatureSchema = defineEntity({
  name: 'Signature',
  tableName: 'signature',
  // ESIGN §7001(d): a record must stay accurate and reproducible. The database refuses edits;
  // only a retention purge deletes it, once policies/retention.yml's period has run out.
  triggers: [purgeableAppendOnlyTrigger('signature_append_only')],
  uniques: [
    // A double click or a retry carries the same submission id: one signature.
    { name: 'signature_person_submission_unique', properties: ['person', 'submissionId'] },
    // Two tabs, two submission ids: still one signature of a version per person.
    {
      name: 'signature_person_document_version_unique',
      properties: ['person', 'documentVersion'],
      where: `kind = 'document'`,
    },
    // One training pass per passing attempt, whatever submits it.
    {
      name: 'signature_quiz_attempt_unique',
      properties: ['quizAttemptId'],
      where: 'quiz_attempt_id is not null',
    },
  ],
  indexes: [{ name: 'signature_document_id_index', properties: ['documentId', 'signedAt'] }],
  properties: {
    id: p.uuid().primary(),
    kind: p.enum(() => SignatureKind),
    person: () => p.manyToOne(PersonSchema).index(),
    documentVersion: () => p.manyToOne(DocumentVersionSchema),
    documentId: p.string().length(100),
    version: p.string().length(32),
    documentSha256: p.string().length(64),
    // ESIGN §7001(c): the disclosure consented to before this record, by version and hash.
    disclosureVersion: p.string().length(32),
    disclosureSha256: p.string().length(64),
    consentedAt: p.datetime(),
    intentVersion: p.string().length(16),
    intentText: p.string().length(500),
    intentSha256: p.string().length(64),
    typedName: p.string().length(TYPED_NAME_MAX_LENGTH),
    ip: p.string().length(64).nullable(),
    userAgent: p.string().length(USER_AGENT_MAX_LENGTH).nullable(),
    // How the signer authenticated, from the sign-in of this session: `saml`, `oidc`, or `link`
    // (a one-time signing link HR gave a leaver; see src/offboarding/signing-links.service.ts).
    sessionId: p.uuid(),
    authMethod: p.string().length(8).default('saml'),
    idpEntityId: p.string().length(512),
    nameId: p.string().length(512),
    authnInstant: p.datetime().nullable(),
    mfa: p.boolean().nullable(),
    viewedAt: p.datetime(),
    signedAt: p.datetime(),
    submissionId: p.uuid(),
    /** Training only: the passing attempt. */
    quizAttemptId: p.uuid().nullable(),
  },
});

/** A person's signature of one document version, or their pass of a training module. Append-only. */
export class Signature extends SignatureSchema.class {}
SignatureSchema.setClass(Signature);
