import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Person } from '../people/person.entity';
import type { SqlWhere } from './scim-filter';
import { ScimGroup } from './scim-group.entities';

/** A group with its members' ids and names, as a SCIM Group shows it. */
export interface GroupWithMembers {
  group: ScimGroup;
  members: Array<{ id: string; fullName: string }>;
}

const lock = { lockMode: LockMode.PESSIMISTIC_WRITE } as const;

/** `?, ?, ?` for a list of ids: MikroORM's execute binds each value apart. */
const marks = (values: readonly unknown[]) => values.map(() => '?').join(', ');

/**
 * The reads and writes SCIM needs beyond PersonUnit's: filters as SQL (RFC 7644 §3.4.2.2 over
 * 100,000 people is never filtered in memory), keys by SCIM identity, groups and members.
 */
@Injectable()
export class ScimRepository {
  constructor(private readonly em: EntityManager) {}

  /** One transaction per request: nothing is written unless all of it is. */
  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.em.fork().transactional(work);
  }

  /** A page of people the filter selects, in id order, and how many it selects in all. */
  async listPeople(where: SqlWhere, limit: number, offset: number): Promise<[Person[], number]> {
    const em = this.em.fork();
    const [{ total }] = await em.execute<{ total: string }[]>(
      `select count(*) as total from person p where ${where.sql}`,
      where.params,
    );
    if (limit === 0 || Number(total) <= offset) return [[], Number(total)];
    const ids = await em.execute<{ id: string }[]>(
      `select p.id from person p where ${where.sql} order by p.id limit ? offset ?`,
      [...where.params, limit, offset],
    );
    const people = ids.length ? await em.find(Person, { id: { $in: ids.map((r) => r.id) } }) : [];
    const byId = new Map(people.map((p) => [p.id, p]));
    return [ids.map((r) => byId.get(r.id)!).filter(Boolean), Number(total)];
  }

  findPerson(id: string): Promise<Person | null> {
    return this.em.fork().findOne(Person, { id });
  }

  lockPerson(tx: EntityManager, id: string): Promise<Person | null> {
    return tx.findOne(Person, { id }, lock);
  }

  /**
   * How many active admins there are besides this person, locked so that two requests cannot
   * each deactivate one of the last two.
   */
  async otherActiveAdmins(tx: EntityManager, personId: string): Promise<number> {
    const rows = await tx.execute<{ id: string }[]>(
      `select id from person where status = 'active' and 'admin' = any(roles) and id <> ?
        order by id for update`,
      [personId],
    );
    return rows.length;
  }

  /** RFC 7643 §4.1.1: userName is unique whatever the case. */
  async holderOfUserName(tx: EntityManager, userName: string): Promise<string | undefined> {
    const rows = await tx.execute<{ id: string }[]>(
      'select id from person where lower(scim_user_name) = lower(?)',
      [userName],
    );
    return rows[0]?.id;
  }

  async holderOf(
    tx: EntityManager,
    key: 'scimExternalId' | 'email' | 'employeeNumber',
    value: string,
  ): Promise<Person | null> {
    return tx.findOne(Person, { [key]: value }, lock);
  }

  /** The managers' ids by email, for the people on a page. */
  async idsByEmail(emails: readonly string[]): Promise<Map<string, string>> {
    if (emails.length === 0) return new Map();
    const people = await this.em
      .fork()
      .find(Person, { email: { $in: [...new Set(emails)] } }, { fields: ['id', 'email'] });
    return new Map(people.map((p) => [p.email, p.id]));
  }

  async idOfEmail(tx: EntityManager, email: string): Promise<string | undefined> {
    return (await tx.findOne(Person, { email }, { fields: ['id'] }))?.id;
  }

  async emailOf(tx: EntityManager, id: string): Promise<string | undefined> {
    return (await tx.findOne(Person, { id }, { fields: ['email'] }))?.email;
  }

  /** Which of these ids are people. */
  async existingPeople(tx: EntityManager, ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await tx.execute<{ id: string }[]>(
      `select id from person where id in (${marks(ids)})`,
      [...ids],
    );
    return new Set(rows.map((r) => r.id));
  }

  async listGroups(
    where: SqlWhere,
    limit: number,
    offset: number,
    withMembers: boolean,
  ): Promise<[GroupWithMembers[], number]> {
    const em = this.em.fork();
    const [{ total }] = await em.execute<{ total: string }[]>(
      `select count(*) as total from scim_group g where ${where.sql}`,
      where.params,
    );
    const ids = await em.execute<{ id: string }[]>(
      `select g.id from scim_group g where ${where.sql} order by g.display_name, g.id limit ? offset ?`,
      [...where.params, limit, offset],
    );
    const groups = ids.length
      ? await em.find(ScimGroup, { id: { $in: ids.map((r) => r.id) } })
      : [];
    const members = withMembers
      ? await this.membersOf(
          em,
          groups.map((g) => g.id),
        )
      : new Map();
    const byId = new Map(groups.map((g) => [g.id, g]));
    return [
      ids.map((r) => ({ group: byId.get(r.id)!, members: members.get(r.id) ?? [] })),
      Number(total),
    ];
  }

  findGroup(tx: EntityManager, id: string, forUpdate = false): Promise<ScimGroup | null> {
    return tx.findOne(ScimGroup, { id }, forUpdate ? lock : {});
  }

  async groupNamed(tx: EntityManager, displayName: string): Promise<string | undefined> {
    const rows = await tx.execute<{ id: string }[]>(
      'select id from scim_group where lower(display_name) = lower(?)',
      [displayName],
    );
    return rows[0]?.id;
  }

  async groupWithExternalId(tx: EntityManager, externalId: string): Promise<string | undefined> {
    return (await tx.findOne(ScimGroup, { externalId }, { fields: ['id'] }))?.id;
  }

  async membersOf(
    em: EntityManager,
    groupIds: readonly string[],
  ): Promise<Map<string, Array<{ id: string; fullName: string }>>> {
    const out = new Map<string, Array<{ id: string; fullName: string }>>();
    if (groupIds.length === 0) return out;
    const rows = await em.execute<{ group_id: string; id: string; full_name: string }[]>(
      `select m.group_id, p.id, p.full_name from scim_group_member m join person p on p.id = m.person_id
       where m.group_id in (${marks(groupIds)}) order by p.id`,
      [...groupIds],
    );
    for (const row of rows) {
      const list = out.get(row.group_id) ?? [];
      list.push({ id: row.id, fullName: row.full_name });
      out.set(row.group_id, list);
    }
    return out;
  }

  async addMembers(
    tx: EntityManager,
    groupId: string,
    personIds: readonly string[],
  ): Promise<void> {
    if (personIds.length === 0) return;
    await tx.execute(
      `insert into scim_group_member (group_id, person_id) values ${personIds.map(() => '(?, ?)').join(', ')} on conflict do nothing`,
      personIds.flatMap((id) => [groupId, id]),
    );
  }

  async removeMembers(
    tx: EntityManager,
    groupId: string,
    personIds: readonly string[],
  ): Promise<void> {
    if (personIds.length === 0) return;
    await tx.execute(
      `delete from scim_group_member where group_id = ? and person_id in (${marks(personIds)})`,
      [groupId, ...personIds],
    );
  }

  /**
   * The keys ROLE_MAP may name each person's SCIM groups by: displayName and externalId (Entra
   * ID's group object id, which its SAML and OIDC groups claims carry too).
   */
  async groupKeysOf(
    tx: EntityManager,
    personIds: readonly string[],
  ): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>(personIds.map((id) => [id, []]));
    if (personIds.length === 0) return out;
    const rows = await tx.execute<
      { person_id: string; display_name: string; external_id: string | null }[]
    >(
      `select m.person_id, g.display_name, g.external_id from scim_group_member m join scim_group g on g.id = m.group_id
       where m.person_id in (${marks(personIds)})`,
      [...personIds],
    );
    for (const row of rows) {
      out.get(row.person_id)?.push(row.display_name, ...(row.external_id ? [row.external_id] : []));
    }
    return out;
  }

  lockPeople(tx: EntityManager, ids: readonly string[]): Promise<Person[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return tx.find(Person, { id: { $in: [...ids] } }, { ...lock, orderBy: { id: 'asc' } });
  }
}
