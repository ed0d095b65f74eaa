import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Role } from '../access/role';
import { Person, PersonStatus } from './person.entity';

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
   * Inserts or updates by email, so two first sign-ins at once cannot create two people.
   * Fields the IdP did not assert (undefined) are left as HR recorded them. Returns the row
   * and the roles it had before (undefined when it is new).
   */
  async upsertFromSso(
    values: SsoPersonFields,
    now: Date,
  ): Promise<{ person: Person; previousRoles: string[] | undefined }> {
    try {
      return await this.upsertOnce(values, now);
    } catch (error) {
      // Two first sign-ins at once: the loser of the insert race updates the winner's row.
      if (error instanceof UniqueConstraintViolationException) return this.upsertOnce(values, now);
      throw error;
    }
  }

  private upsertOnce(
    values: SsoPersonFields,
    now: Date,
  ): Promise<{ person: Person; previousRoles: string[] | undefined }> {
    return this.em.fork().transactional(async (tx) => {
      const existing = await tx.findOne(
        Person,
        { email: values.email },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      const asserted = Object.fromEntries(
        Object.entries(values).filter(([, v]) => v !== undefined),
      ) as Partial<SsoPersonFields>;
      if (!existing) {
        const startsLater = values.startDate !== undefined && values.startDate > isoDate(now);
        const person = tx.create(Person, {
          ...asserted,
          email: values.email,
          fullName: values.fullName,
          roles: values.roles,
          id: randomUUID(),
          status: startsLater ? PersonStatus.PreStart : PersonStatus.Active,
          createdAt: now,
          updatedAt: now,
        });
        return { person, previousRoles: undefined };
      }
      const previousRoles = [...existing.roles];
      tx.assign(existing, { ...asserted, updatedAt: now });
      return { person: existing, previousRoles };
    });
  }
}

/** What a SAML sign-in may set on a person; undefined leaves a field unchanged. */
export interface SsoPersonFields {
  email: string;
  fullName: string;
  samlNameId: string;
  roles: Role[];
  department?: string;
  country?: string;
  managerEmail?: string;
  startDate?: string;
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}
