import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Signature, SignatureKind } from './signature.entity';

/** Fields of a new signature, as the signing rules assembled them. */
export type NewSignature = Omit<Signature, 'person' | 'documentVersion' | 'quizAttemptId'> & {
  readonly personId: string;
  readonly documentVersionId: string;
  readonly quizAttemptId: string | null;
};

/** Signatures. Append-only: there is deliberately no update or delete. */
@Injectable()
export class SignatureRepository {
  constructor(private readonly em: EntityManager) {}

  append(em: EntityManager, signature: NewSignature): Signature {
    const { personId, documentVersionId, ...fields } = signature;
    return em.create(Signature, {
      ...fields,
      person: personId,
      documentVersion: documentVersionId,
    });
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
