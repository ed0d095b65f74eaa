import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Person } from '../people/person.entity';
import { AuditSample } from './audit-sample.entity';
import type { Population } from './population';

export interface NewAuditSample {
  readonly requestedBy: string;
  readonly population: Population;
  readonly periodFrom: string;
  readonly periodTo: string;
  readonly size: number;
  readonly seed: string;
  readonly algorithm: string;
  readonly populationSize: number;
  readonly populationSha256: string;
  readonly personIds: string[];
}

/** Samples are evidence: this repository adds and reads them, and has no update or delete. */
@Injectable()
export class AuditSampleRepository {
  constructor(private readonly em: EntityManager) {}

  /** Runs `work` in one transaction on a fresh EntityManager. */
  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.em.fork().transactional(work);
  }

  /** Adds the sample to the caller's transaction; it is written when that commits. */
  addIn(tx: EntityManager, sample: NewAuditSample, now: Date): AuditSample {
    const row = tx.create(AuditSample, {
      ...sample,
      requestedBy: tx.getReference(Person, sample.requestedBy),
      id: randomUUID(),
      createdAt: now,
    });
    tx.persist(row);
    return row;
  }

  findById(id: string): Promise<AuditSample | null> {
    return this.em.fork().findOne(AuditSample, { id });
  }

  /** The newest samples first, for the populations page. */
  recent(limit: number): Promise<AuditSample[]> {
    return this.em
      .fork()
      .find(AuditSample, {}, { orderBy: { createdAt: 'desc', id: 'asc' }, limit });
  }
}
