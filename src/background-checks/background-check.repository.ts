import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Person } from '../people/person.entity';
import { BackgroundCheckEvent, BackgroundCheckEventSource } from './background-check-event.entity';
import { likeContains, SEARCH_TEXT } from '../people/person-search';
import {
  BackgroundCheck,
  type BackgroundCheckStatus,
  type BackgroundCheckType,
  PENDING_CHECK_STATUSES,
} from './background-check.entity';

export interface BackgroundCheckFilter {
  /** `pending`: any status not decided yet. */
  readonly status?: BackgroundCheckStatus | 'pending';
  readonly type?: BackgroundCheckType;
}

export interface NewBackgroundCheckEvent {
  readonly checkId: string;
  readonly at: Date;
  readonly actorId: string;
  readonly fromStatus: BackgroundCheckStatus | null;
  readonly toStatus: BackgroundCheckStatus;
  readonly source: BackgroundCheckEventSource;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Background checks and their history. History is appended to, never changed. */
@Injectable()
export class BackgroundCheckRepository {
  constructor(private readonly em: EntityManager) {}

  transactional<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.em.fork().transactional(work);
  }

  findById(id: string): Promise<BackgroundCheck | null> {
    return this.em.fork().findOne(BackgroundCheck, { id }, { populate: ['person'] });
  }

  list(
    filter: BackgroundCheckFilter,
    limit: number,
    offset: number,
  ): Promise<[BackgroundCheck[], number]> {
    const where = {
      ...(filter.status === 'pending'
        ? { status: { $in: [...PENDING_CHECK_STATUSES] } }
        : filter.status
          ? { status: filter.status }
          : {}),
      ...(filter.type ? { type: filter.type } : {}),
    };
    return this.em.fork().findAndCount(BackgroundCheck, where, {
      populate: ['person'],
      orderBy: { updatedAt: 'desc', id: 'asc' },
      limit,
      offset,
    });
  }

  listForPerson(personId: string): Promise<BackgroundCheck[]> {
    return this.em.fork().find(BackgroundCheck, { person: personId }, { orderBy: { type: 'asc' } });
  }

  historyOf(checkId: string): Promise<BackgroundCheckEvent[]> {
    return this.em
      .fork()
      .find(BackgroundCheckEvent, { check: checkId }, { orderBy: { at: 'asc', id: 'asc' } });
  }

  /** The names of the people among these actor ids (others are words like `provider`). */
  async namesOf(actorIds: readonly string[]): Promise<Map<string, string>> {
    const ids = [...new Set(actorIds)].filter((id) => UUID.test(id));
    if (ids.length === 0) return new Map();
    const people = await this.em
      .fork()
      .find(Person, { id: { $in: ids } }, { fields: ['id', 'fullName'] });
    return new Map(people.map((p) => [p.id, p.fullName]));
  }

  /** People whose name, email or employee number holds every word, for "Record a check". */
  async searchPeople(
    q: string,
    limit: number,
  ): Promise<{ id: string; fullName: string; email: string; department: string | null }[]> {
    const words = q.split(/\s+/).filter(Boolean).slice(0, 8);
    if (words.length === 0) return [];
    const rows = await this.em
      .fork()
      .execute<{ id: string; full_name: string; email: string; department: string | null }[]>(
        `select p.id, p.full_name, p.email, p.department from person p
        where p.status <> 'terminated' and ${words.map(() => `${SEARCH_TEXT} like ?`).join(' and ')}
        order by p.full_name, p.id limit ?`,
        [...words.map(likeContains), limit],
      );
    return rows.map((r) => ({
      id: r.id,
      fullName: r.full_name,
      email: r.email,
      department: r.department,
    }));
  }

  findPerson(id: string): Promise<Person | null> {
    return this.em.fork().findOne(Person, { id });
  }

  findPersonBy(key: { email?: string; employeeNumber?: string }): Promise<Person | null> {
    // The HR system's key first, as the people import matches.
    if (key.employeeNumber) {
      return this.em.fork().findOne(Person, { employeeNumber: key.employeeNumber });
    }
    return this.em.fork().findOne(Person, { email: (key.email ?? '').toLowerCase() });
  }

  lockById(tx: EntityManager, id: string): Promise<BackgroundCheck | null> {
    return tx.findOne(BackgroundCheck, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  }

  lockByProviderReference(
    tx: EntityManager,
    providerName: string,
    providerReference: string,
  ): Promise<BackgroundCheck | null> {
    return tx.findOne(
      BackgroundCheck,
      { providerName, providerReference },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
  }

  lockByPersonAndType(
    tx: EntityManager,
    personId: string,
    type: BackgroundCheckType,
  ): Promise<BackgroundCheck | null> {
    return tx.findOne(
      BackgroundCheck,
      { person: personId, type },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
  }

  /** When the provider's newest recorded event happened, to recognise late deliveries. */
  async lastProviderEventAt(tx: EntityManager, checkId: string): Promise<Date | undefined> {
    const latest = await tx.findOne(
      BackgroundCheckEvent,
      { check: checkId, source: BackgroundCheckEventSource.Provider },
      { orderBy: { at: 'desc' } },
    );
    return latest?.at;
  }

  /** A new check, with its id chosen first: the encrypted fields are bound to it. */
  create(
    tx: EntityManager,
    id: string,
    values: Omit<BackgroundCheck, 'id' | 'person' | 'detailsPurgedAt'> & { personId: string },
  ): BackgroundCheck {
    const { personId, ...rest } = values;
    // A new check has its details: only a retention purge sets detailsPurgedAt.
    const check = tx.create(BackgroundCheck, {
      ...rest,
      id,
      person: personId,
      detailsPurgedAt: null,
    });
    tx.persist(check);
    return check;
  }

  appendEvent(tx: EntityManager, event: NewBackgroundCheckEvent): void {
    const { checkId, ...rest } = event;
    tx.persist(tx.create(BackgroundCheckEvent, { ...rest, id: randomUUID(), check: checkId }));
  }
}
