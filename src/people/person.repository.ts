import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Person } from './person.entity';

@Injectable()
export class PersonRepository {
  constructor(private readonly em: EntityManager) {}

  findById(id: string): Promise<Person | null> {
    return this.em.fork().findOne(Person, { id });
  }

  findByEmail(email: string): Promise<Person | null> {
    return this.em.fork().findOne(Person, { email: email.toLowerCase() });
  }

  list(limit = 200, offset = 0): Promise<[Person[], number]> {
    return this.em.fork().findAndCount(Person, {}, { orderBy: { email: 'asc' }, limit, offset });
  }

  /**
   * Inserts or updates by email in one statement, so two first logins at once cannot create
   * two people. Returns the row and the roles it had before (undefined when it is new).
   */
  async upsert(
    values: Omit<Person, 'id' | 'createdAt' | 'updatedAt' | 'status'> & { id: string; now: Date },
  ): Promise<{ person: Person; previousRoles: string[] | undefined }> {
    try {
      return await this.upsertOnce(values);
    } catch (error) {
      // Two first sign-ins at once: the loser of the insert race updates the winner's row.
      if (error instanceof UniqueConstraintViolationException) return this.upsertOnce(values);
      throw error;
    }
  }

  private upsertOnce(
    values: Omit<Person, 'id' | 'createdAt' | 'updatedAt' | 'status'> & { id: string; now: Date },
  ): Promise<{ person: Person; previousRoles: string[] | undefined }> {
    return this.em.fork().transactional(async (tx) => {
      const existing = await tx.findOne(
        Person,
        { email: values.email },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      const { now, id, ...fields } = values;
      if (!existing) {
        const person = tx.create(Person, { ...fields, id, createdAt: now, updatedAt: now });
        return { person, previousRoles: undefined };
      }
      const previousRoles = [...existing.roles];
      tx.assign(existing, { ...fields, updatedAt: now });
      return { person: existing, previousRoles };
    });
  }
}
