import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { prepared, runPrepared } from '../database/prepared-statement';
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

const INSERT = prepared(`insert into requirement_completion
  (id, person_id, requirement_id, kind, subject, subject_version, completed_at, source, reference,
   recorded_at)
  values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);

/** Appends completions. There is deliberately no update or delete. */
@Injectable()
export class RequirementCompletionRepository {
  constructor(private readonly em: EntityManager) {}

  /** Inserts the completion on its own; returns its id. */
  append(completion: NewCompletion, now: Date): Promise<string> {
    return this.em.fork().transactional((em) => this.appendIn(em, completion, now));
  }

  /**
   * Inserts the completion in the caller's transaction, now, to commit with what it evidences.
   * A prepared statement: it runs in every signature's transaction. Returns its id.
   */
  async appendIn(em: EntityManager, completion: NewCompletion, now: Date): Promise<string> {
    const id = randomUUID();
    await runPrepared(em, INSERT, [
      id,
      completion.personId,
      completion.requirementId,
      completion.kind,
      completion.subject,
      completion.subjectVersion,
      completion.completedAt,
      completion.source,
      completion.reference,
      now,
    ]);
    return id;
  }

  findByPerson(personId: string): Promise<RequirementCompletion[]> {
    return this.em
      .fork()
      .find(RequirementCompletion, { person: personId }, { orderBy: { completedAt: 'asc' } });
  }
}
