import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { LegalHold } from './legal-hold.entity';

/** Legal holds: placed, lifted, read. A lifted hold stays, with why and by whom. */
@Injectable()
export class LegalHoldRepository {
  constructor(private readonly em: EntityManager) {}

  transactional<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.em.fork().transactional(work);
  }

  /**
   * Locks the person's row, which serialises holds on them (two HR people placing at once wait
   * in turn), and returns the hold in force; undefined when there is no such person.
   */
  async lockActive(tx: EntityManager, personId: string): Promise<LegalHold | null | undefined> {
    const [person] = await tx.execute<{ id: string }[]>(
      'select id from person where id = ? for update',
      [personId],
    );
    if (!person) return undefined;
    return tx.findOne(LegalHold, { person: personId, liftedAt: null });
  }

  place(tx: EntityManager, hold: Omit<LegalHold, 'person'> & { personId: string }): void {
    const { personId, ...rest } = hold;
    tx.persist(tx.create(LegalHold, { ...rest, person: personId }));
  }
}
