import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { type CompletionSource, RequirementCompletion } from './requirement-completion.entity';
import type { RequirementKind } from './requirement-rule';

export interface NewCompletion {
  readonly personId: string;
  readonly requirementId: string;
  readonly kind: RequirementKind;
  readonly subject: string;
  readonly subjectVersion: string | null;
  readonly completedAt: Date;
  readonly source: CompletionSource;
  readonly reference: string | null;
}

/** Appends completions. There is deliberately no update or delete. */
@Injectable()
export class RequirementCompletionRepository {
  constructor(private readonly em: EntityManager) {}

  async append(completion: NewCompletion, now: Date): Promise<RequirementCompletion> {
    const em = this.em.fork();
    const row = this.appendIn(em, completion, now);
    await em.flush();
    return row;
  }

  /** Adds the completion to the caller's transaction, to commit with what it evidences. */
  appendIn(em: EntityManager, completion: NewCompletion, now: Date): RequirementCompletion {
    const { personId, ...fields } = completion;
    return em.create(RequirementCompletion, {
      ...fields,
      id: randomUUID(),
      person: personId,
      recordedAt: now,
    });
  }

  findByPerson(personId: string): Promise<RequirementCompletion[]> {
    return this.em
      .fork()
      .find(RequirementCompletion, { person: personId }, { orderBy: { completedAt: 'asc' } });
  }
}
