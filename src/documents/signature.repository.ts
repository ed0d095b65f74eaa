import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Signature, SignatureKind } from './signature.entity';

/** Fields of a new signature, as the signing rules assembled them. */
export type NewSignature = Omit<Signature, 'person' | 'documentVersion' | 'quizAttemptId'> & {
  readonly personId: string;
  readonly documentVersionId: string;
  readonly quizAttemptId: string | null;
};

/** Per-person lock key space, so two submissions by one person never interleave. */
const SIGNING_LOCK = 0x5349474e; // "SIGN"

/** Signatures. Append-only: there is deliberately no update or delete. */
@Injectable()
export class SignatureRepository {
  constructor(private readonly em: EntityManager) {}

  /** Runs `work` in one transaction holding this person's signing lock. */
  inPersonTransaction<T>(personId: string, work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.em.fork().transactional(async (em) => {
      await em.execute('select pg_advisory_xact_lock(?, hashtext(?))', [SIGNING_LOCK, personId]);
      return work(em);
    });
  }

  append(em: EntityManager, signature: NewSignature): Signature {
    const { personId, documentVersionId, ...fields } = signature;
    return em.create(Signature, {
      ...fields,
      person: personId,
      documentVersion: documentVersionId,
    });
  }

  findBySubmission(em: EntityManager, personId: string, submissionId: string) {
    return em.findOne(Signature, { person: personId, submissionId });
  }

  findDocumentSignature(em: EntityManager, personId: string, versionId: string) {
    return em.findOne(Signature, {
      person: personId,
      documentVersion: versionId,
      kind: SignatureKind.Document,
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
