import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { prepared, runPrepared } from '../database/prepared-statement';
import { Signature, SignatureKind } from './signature.entity';

/** Fields of a new signature, as the signing rules assembled them. */
export type NewSignature = Omit<Signature, 'person' | 'documentVersion' | 'quizAttemptId'> & {
  readonly personId: string;
  readonly documentVersionId: string;
  readonly quizAttemptId: string | null;
};

/** What the insert writes: each field of a new signature and its column. */
const COLUMNS: readonly (readonly [keyof NewSignature, string])[] = [
  ['id', 'id'],
  ['kind', 'kind'],
  ['personId', 'person_id'],
  ['documentVersionId', 'document_version_id'],
  ['documentId', 'document_id'],
  ['version', 'version'],
  ['documentSha256', 'document_sha256'],
  ['disclosureVersion', 'disclosure_version'],
  ['disclosureSha256', 'disclosure_sha256'],
  ['consentedAt', 'consented_at'],
  ['intentVersion', 'intent_version'],
  ['intentText', 'intent_text'],
  ['intentSha256', 'intent_sha256'],
  ['typedName', 'typed_name'],
  ['ip', 'ip'],
  ['userAgent', 'user_agent'],
  ['sessionId', 'session_id'],
  ['authMethod', 'auth_method'],
  ['idpEntityId', 'idp_entity_id'],
  ['nameId', 'name_id'],
  ['authnInstant', 'authn_instant'],
  ['mfa', 'mfa'],
  ['viewedAt', 'viewed_at'],
  ['signedAt', 'signed_at'],
  ['submissionId', 'submission_id'],
  ['quizAttemptId', 'quiz_attempt_id'],
];

const INSERT = prepared(
  `insert into signature (${COLUMNS.map(([, column]) => column).join(', ')})
   values (${COLUMNS.map(() => '?').join(', ')})`,
);

/** Signatures. Append-only: there is deliberately no update or delete. */
@Injectable()
export class SignatureRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * Inserts the signature in the caller's transaction, now: a second signature of the same
   * version, or a second use of the submission, fails here with the ORM's
   * UniqueConstraintViolationException, before any PDF work. A prepared statement: it runs on
   * every signature.
   */
  async append(em: EntityManager, signature: NewSignature): Promise<Signature> {
    await runPrepared(
      em,
      INSERT,
      COLUMNS.map(([field]) => signature[field] ?? null),
    );
    const { personId, documentVersionId, ...fields } = signature;
    return em.create(
      Signature,
      { ...fields, person: personId, documentVersion: documentVersionId },
      { persist: false },
    );
  }

  /**
   * The signature an earlier submission recorded: the same submission, or, for a document, any
   * signature of the same version by the same person (the unique indexes allow no other).
   */
  findEarlier(
    em: EntityManager,
    key: { personId: string; submissionId: string; documentVersionId: string | null },
  ): Promise<Signature | null> {
    return em.findOne(Signature, {
      person: key.personId,
      $or: [
        { submissionId: key.submissionId },
        ...(key.documentVersionId
          ? [{ documentVersion: key.documentVersionId, kind: SignatureKind.Document }]
          : []),
      ],
    });
  }

  findById(id: string): Promise<Signature | null> {
    return this.em.fork().findOne(Signature, { id });
  }

  /** A person's signatures and training passes, newest first. */
  listForPerson(personId: string): Promise<Signature[]> {
    return this.em
      .fork()
      .find(Signature, { person: personId }, { orderBy: { signedAt: 'desc', id: 'asc' } });
  }

  /** The latest signature per document for a person. */
  async latestByDocument(personId: string): Promise<Map<string, Signature>> {
    const latest = new Map<string, Signature>();
    for (const s of await this.listForPerson(personId)) {
      if (!latest.has(s.documentId)) latest.set(s.documentId, s);
    }
    return latest;
  }
}
