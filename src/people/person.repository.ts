import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Role } from '../access/role';
import { type FieldSource, sourcedChanges, withSources } from './field-sources';
import { IdentityBoundElsewhere } from './people.errors';
import type { PersonFields } from './person-fields';
import { distinctValues, type PersonFilter, personWhere } from './person-search';
import { Person, PersonStatus } from './person.entity';

/** Postgres takes at most 65,535 bind parameters per statement; stay well below. */
const LOOKUP_CHUNK = 5_000;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += LOOKUP_CHUNK) out.push(items.slice(i, i + LOOKUP_CHUNK));
  return out;
}

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

  /** One page of the people the filter matches, by name, and how many match in all. */
  async search(filter: PersonFilter, limit: number, offset: number): Promise<[Person[], number]> {
    const em = this.em.fork();
    const where = personWhere(filter);
    const [ids, [{ total }]] = await Promise.all([
      em.execute<{ id: string }[]>(
        `select p.id from person p where ${where.sql} order by p.full_name, p.id limit ? offset ?`,
        [...where.params, limit, offset],
      ),
      em
        .fork()
        .execute<{ total: string }[]>(
          `select count(*) as total from person p where ${where.sql}`,
          where.params,
        ),
    ]);
    const people = ids.length ? await em.find(Person, { id: { $in: ids.map((r) => r.id) } }) : [];
    const byId = new Map(people.map((p) => [p.id, p]));
    return [ids.map((r) => byId.get(r.id)!).filter(Boolean), Number(total)];
  }

  /**
   * The departments and countries people have, for the list's filter choices: a skip scan of
   * each column's index (one lookup per distinct value), not a pass over every person.
   */
  async facets(): Promise<{ departments: string[]; countries: string[] }> {
    const em = this.em.fork();
    const [departments, countries] = await Promise.all([
      distinctValues(em, 'person', 'department'),
      distinctValues(em.fork(), 'person', 'country'),
    ]);
    return { departments, countries };
  }

  /** Runs `work` in one transaction; whatever it reads and writes through the unit is in it. */
  transaction<T>(work: (unit: PersonUnit) => Promise<T>): Promise<T> {
    return this.em.fork().transactional((tx) => work(new PersonUnit(tx)));
  }

  /**
   * Inserts or updates the person a sign-in names, so two first sign-ins at once cannot create
   * two people. The person is found by their bound IdP identity, else by email; a sign-in whose
   * identity and email point at different records is refused (IdentityBoundElsewhere) and moves
   * nothing. Fields the IdP did not assert (undefined) are left as HR recorded them. Returns the
   * row, the roles it had before (undefined when it is new) and its email before, when the IdP
   * renamed a bound person.
   */
  async upsertFromSso(values: SsoPersonFields, now: Date): Promise<SsoUpsert> {
    try {
      return await this.upsertOnce(values, now);
    } catch (error) {
      // Two first sign-ins at once: the loser of the insert race updates the winner's row.
      if (error instanceof UniqueConstraintViolationException) return this.upsertOnce(values, now);
      throw error;
    }
  }

  private upsertOnce(values: SsoPersonFields, now: Date): Promise<SsoUpsert> {
    return this.em.fork().transactional(async (tx) => {
      const lock = { lockMode: LockMode.PESSIMISTIC_WRITE } as const;
      const { samlIssuer, samlNameId } = values;
      // Records bound before the issuer was kept have only the NameID.
      const holders = samlNameId
        ? await tx.find(
            Person,
            { samlNameId, $or: [{ samlIssuer }, { samlIssuer: null }] },
            { ...lock, orderBy: { id: 'asc' } },
          )
        : [];
      const byEmail = await tx.findOne(Person, { email: values.email }, lock);
      const [holder] = holders;
      if (holders.length > 1) {
        throw new IdentityBoundElsewhere(holder.id, byEmail?.id ?? holders[1].id);
      }
      if (holder && byEmail && holder.id !== byEmail.id) {
        throw new IdentityBoundElsewhere(holder.id, byEmail.id);
      }
      if (!holder && byEmail && boundToAnother(byEmail, values)) {
        throw new IdentityBoundElsewhere(null, byEmail.id);
      }
      const asserted = Object.fromEntries(
        Object.entries(values).filter(([, v]) => v !== undefined),
      ) as Partial<SsoPersonFields>;
      const existing = holder ?? byEmail;
      if (!existing) {
        const startsLater = values.startDate !== undefined && values.startDate > isoDate(now);
        const person = tx.create(Person, {
          ...asserted,
          fieldSources: withSources({}, sourcedChanges(undefined, asserted), 'sso', now),
          email: values.email,
          fullName: values.fullName,
          roles: values.roles,
          id: randomUUID(),
          status: startsLater ? PersonStatus.PreStart : PersonStatus.Active,
          createdAt: now,
          updatedAt: now,
        });
        return { person, previousRoles: undefined, previousEmail: undefined };
      }
      const previousRoles = [...existing.roles];
      // SCIM's groups master this person's roles (see SsoLoginService): a sign-in read them
      // before this lock, so it must not write back roles a SCIM change has since replaced.
      if (existing.fieldSources?.roles?.source === 'scim') delete asserted.roles;
      // The IdP owns a bound person's email: a new one for the same identity is a rename there.
      const previousEmail = existing.email !== values.email ? existing.email : undefined;
      // A transient NameID names nobody: a binding to a lasting one is kept.
      const binding = samlNameId ? {} : { samlNameId: existing.samlNameId };
      const fieldSources = withSources(
        existing.fieldSources,
        sourcedChanges(existing, asserted),
        'sso',
        now,
      );
      tx.assign(existing, { ...asserted, ...binding, fieldSources, updatedAt: now });
      return { person: existing, previousRoles, previousEmail };
    });
  }
}

/** The person is bound to an identity other than the one signing in. */
function boundToAnother(person: Person, values: SsoPersonFields): boolean {
  if (person.samlIssuer && person.samlIssuer !== values.samlIssuer) return true;
  // No record holds the lasting NameID signing in, so a NameID this person holds is another.
  return values.samlNameId !== null && !!person.samlNameId;
}

export interface SsoUpsert {
  person: Person;
  /** Undefined when the sign-in created the person. */
  previousRoles: string[] | undefined;
  /** Set when the IdP sent a new email for a bound identity. */
  previousEmail: string | undefined;
}

/** What a SAML sign-in may set on a person; undefined leaves a field unchanged. */
export interface SsoPersonFields {
  email: string;
  fullName: string;
  /** The IdP's entity ID. */
  samlIssuer: string;
  /** Null for a transient NameID, which names nobody. */
  samlNameId: string | null;
  roles: Role[];
  department?: string;
  country?: string;
  managerEmail?: string;
  startDate?: string;
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Reads and writes of people inside one transaction (see PersonRepository.transaction). */
export class PersonUnit {
  constructor(private readonly tx: EntityManager) {}

  /** People holding any of these employee numbers or emails: a query per 5,000 of each. */
  async findByEmployeeNumbersOrEmails(
    employeeNumbers: readonly string[],
    emails: readonly string[],
  ): Promise<Person[]> {
    const found = new Map<string, Person>();
    const batches = Math.max(chunks(employeeNumbers).length, chunks(emails).length);
    for (let i = 0; i < batches; i++) {
      const numbers = employeeNumbers.slice(i * LOOKUP_CHUNK, (i + 1) * LOOKUP_CHUNK);
      const mails = emails.slice(i * LOOKUP_CHUNK, (i + 1) * LOOKUP_CHUNK);
      const $or = [
        ...(numbers.length > 0 ? [{ employeeNumber: { $in: numbers } }] : []),
        ...(mails.length > 0 ? [{ email: { $in: mails } }] : []),
      ];
      const people = await this.tx.find(Person, { $or }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      people.forEach((p) => found.set(p.id, p));
    }
    return [...found.values()];
  }

  /** Which of these emails belong to someone. */
  async existingEmails(emails: readonly string[]): Promise<Set<string>> {
    const known = new Set<string>();
    for (const batch of chunks(emails)) {
      const people = await this.tx.find(
        Person,
        { email: { $in: batch } },
        { fields: ['id', 'email'] },
      );
      people.forEach((p) => known.add(p.email));
    }
    return known;
  }

  findById(id: string): Promise<Person | null> {
    return this.tx.findOne(Person, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  }

  /** A new person from HR's fields, with the employee role (sign-in adds the others). */
  create(fields: PersonFields, now: Date, source: FieldSource): Person {
    return this.tx.create(Person, {
      ...fields,
      fieldSources: withSources({}, sourcedChanges(undefined, fields), source, now),
      managerEmail: fields.managerEmail ?? null,
      region: fields.region ?? null,
      endDate: fields.endDate ?? null,
      id: randomUUID(),
      roles: [Role.Employee],
      createdAt: now,
      updatedAt: now,
    });
  }

  /** Sets the given fields, and `source` as where they came from; undefined ones are left. */
  update(person: Person, fields: PersonFields, now: Date, source: FieldSource): void {
    const given = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
    const fieldSources = withSources(
      person.fieldSources,
      sourcedChanges(person, given),
      source,
      now,
    );
    this.tx.assign(person, { ...given, fieldSources, updatedAt: now });
  }
}
