import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { QuizAttempt } from './quiz-attempt.entity';

/** Quiz attempts. Append-only: there is deliberately no update or delete. */
@Injectable()
export class QuizAttemptRepository {
  constructor(private readonly em: EntityManager) {}

  append(
    em: EntityManager,
    attempt: Omit<QuizAttempt, 'person' | 'documentVersion'> & {
      personId: string;
      documentVersionId: string;
    },
  ): QuizAttempt {
    const { personId, documentVersionId, ...fields } = attempt;
    return em.create(QuizAttempt, {
      ...fields,
      person: personId,
      documentVersion: documentVersionId,
    });
  }

  /** The attempt a submission recorded, if it went through. */
  findSubmitted(personId: string, submissionId: string): Promise<QuizAttempt | null> {
    return this.em.fork().findOne(QuizAttempt, { person: personId, submissionId });
  }

  /** How many attempts the person has made at a module, this one included. */
  async countIn(em: EntityManager, personId: string, moduleId: string): Promise<number> {
    const [row] = await em.execute<{ n: number }[]>(
      `select count(*)::int as n from quiz_attempt a
         join document_version v on v.id = a.document_version_id
        where a.person_id = ? and v.document_id = ?`,
      [personId, moduleId],
    );
    return row.n;
  }

  findMine(personId: string, id: string): Promise<QuizAttempt | null> {
    return this.em
      .fork()
      .findOne(QuizAttempt, { id, person: personId }, { populate: ['documentVersion'] });
  }

  /** A person's attempts at a module, newest first. */
  listForModule(personId: string, moduleId: string): Promise<QuizAttempt[]> {
    return this.em
      .fork()
      .find(
        QuizAttempt,
        { person: personId, documentVersion: { documentId: moduleId } },
        { orderBy: { attemptedAt: 'desc' }, populate: ['documentVersion'] },
      );
  }
}
