import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { ApiClient } from '../access/api-token.guard';
import { Role } from '../access/role';
import { AuditService } from '../audit/audit.service';
import { rolesFromGroups } from '../auth/saml/sso-identity';
import { SessionsService } from '../auth/sessions/sessions.service';
import { Clock } from '../common/clock';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { withSources } from '../people/field-sources';
import { invalidValue, notFound, uniqueness } from './scim.errors';
import { keeps, project } from './scim-attributes';
import { groupFilterSql } from './scim-filter';
import { ScimGroup } from './scim-group.entities';
import { isUuid, paging, type ScimListQuery } from './scim-paging';
import { applyPatch, scimPatchOperations } from './scim-patch-request';
import { type GroupWithMembers, ScimRepository } from './scim.repository';
import { listResponse } from './scim-schemas';
import type { ScimResource } from './scim-user.mapper';
import { fromScimGroup, type GroupInput, removalsByValue, toScimGroup } from './scim-group.mapper';

/**
 * Groups (RFC 7643 §4.2). ROLE_MAP maps a group to roles by its displayName or its externalId,
 * as the SAML/OIDC groups claim does (Entra ID sends the group's object id as externalId and
 * in its groups claim). Only groups that map to a role take part: a change to one recomputes
 * the roles of every member it adds or removes (or, when the roles it maps to change or it is
 * deleted, every member), records them as set by `scim`, and ends the sessions of anyone whose
 * roles changed, as a change of roles at sign-in does. Other groups (e.g. "all-staff") are
 * kept, and touch nobody's roles.
 */
@Injectable()
export class ScimGroupsService {
  constructor(
    private readonly repository: ScimRepository,
    private readonly audit: AuditService,
    private readonly sessions: SessionsService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(query: ScimListQuery) {
    const { startIndex, count } = paging(query);
    const [groups, total] = await this.repository.listGroups(
      groupFilterSql(query.filter),
      count,
      startIndex - 1,
      keeps('members', query.attributes, query.excludedAttributes),
    );
    return listResponse(
      groups.map((g) => project(toScimGroup(g), query.attributes, query.excludedAttributes)),
      total,
      startIndex,
    );
  }

  async get(id: string, query: ScimListQuery = {}): Promise<ScimResource> {
    const found = await this.repository.transaction((tx) => this.load(tx, id, false));
    return project(toScimGroup(found), query.attributes, query.excludedAttributes);
  }

  async create(client: ApiClient, body: ScimResource): Promise<ScimResource> {
    const input = fromScimGroup(body);
    if (!input.displayName) throw invalidValue('"displayName" is required (RFC 7643 §4.2).');
    const id = await this.write(client, async (tx) => {
      await this.checkKeys(tx, undefined, input);
      const now = this.clock.now();
      const group = tx.create(ScimGroup, {
        id: randomUUID(),
        displayName: input.displayName!,
        externalId: input.externalId ?? null,
        createdAt: now,
        updatedAt: now,
      });
      await tx.flush();
      const members = input.members ?? [];
      await this.checkMembers(tx, members);
      await this.repository.addMembers(tx, group.id, members);
      await this.event(tx, client, 'scimGroup.created', group.id, {
        members: members.length,
        joined: members,
        roles: this.rolesOf(group),
      });
      return { groupId: group.id, affected: this.rolesOf(group).length > 0 ? members : [] };
    });
    return this.get(id);
  }

  /**
   * RFC 7644 §3.5.1: PUT replaces the group; the members given replace the members, and a PUT
   * without `members` leaves the group with none.
   */
  async replace(client: ApiClient, id: string, body: ScimResource): Promise<ScimResource> {
    const input = fromScimGroup(body);
    if (!input.displayName) throw invalidValue('"displayName" is required (RFC 7643 §4.2).');
    await this.write(client, (tx) =>
      this.update(tx, client, id, { ...input, members: input.members ?? [] }),
    );
    return this.get(id);
  }

  /**
   * RFC 7644 §3.5.2 with the scim-patch library, e.g. Entra ID's
   * `{"op":"Add","path":"members","value":[{"value":"id1"},{"value":"id2"}]}` and
   * `{"op":"Remove","path":"members[value eq \"id1\"]"}`.
   */
  async patch(client: ApiClient, id: string, body: unknown): Promise<ScimResource | undefined> {
    const operations = scimPatchOperations(body).flatMap(removalsByValue);
    await this.write(client, async (tx) => {
      const before = toScimGroup(await this.load(tx, id, true));
      const after = applyPatch(before, operations);
      const input = fromScimGroup(after);
      if (!input.displayName) throw invalidValue('A group keeps its "displayName".');
      return this.update(tx, client, id, { ...input, members: input.members ?? [] });
    });
    return this.get(id);
  }

  async delete(client: ApiClient, id: string): Promise<void> {
    await this.write(client, async (tx) => {
      const { group, members } = await this.load(tx, id, true);
      tx.remove(group);
      await tx.flush();
      const left = members.map((m) => m.id);
      await this.event(tx, client, 'scimGroup.deleted', id, {
        members: members.length,
        left,
        roles: this.rolesOf(group),
      });
      return { groupId: id, affected: this.rolesOf(group).length > 0 ? left : [] };
    });
  }

  private async update(
    tx: EntityManager,
    client: ApiClient,
    id: string,
    input: GroupInput,
  ): Promise<{ groupId: string; affected: string[] }> {
    const { group, members } = await this.load(tx, id, true);
    await this.checkKeys(tx, group, input);
    const now = this.clock.now();
    const from = { displayName: group.displayName, externalId: group.externalId };
    const rolesBefore = this.rolesOf(group);
    const current = new Set(members.map((m) => m.id));
    const wanted = new Set(input.members ?? current);
    const added = [...wanted].filter((m) => !current.has(m));
    const removed = [...current].filter((m) => !wanted.has(m));
    await this.checkMembers(tx, added);
    tx.assign(group, {
      ...(input.displayName !== undefined ? { displayName: input.displayName } : {}),
      ...(input.externalId !== undefined ? { externalId: input.externalId } : {}),
      updatedAt: now,
    });
    await tx.flush();
    const rolesAfter = this.rolesOf(group);
    const changedFields = (['displayName', 'externalId'] as const).filter(
      (f) => from[f] !== group[f],
    );
    const rolesChanged = rolesBefore.join() !== rolesAfter.join();
    await this.repository.addMembers(tx, id, added);
    await this.repository.removeMembers(tx, id, removed);
    if (changedFields.length > 0 || added.length > 0 || removed.length > 0) {
      await this.event(tx, client, 'scimGroup.updated', id, {
        changedFields,
        // A group's name and id are no personal data; its members are named by id only.
        ...(changedFields.length > 0
          ? { from: pick(from, changedFields), to: pick(group, changedFields) }
          : {}),
        ...(rolesChanged ? { roles: { from: rolesBefore, to: rolesAfter } } : {}),
        added: added.length,
        removed: removed.length,
        joined: added,
        left: removed,
      });
    }
    // A group that maps to no role, before or after, touches nobody's roles. One whose roles
    // changed (a rename, a new externalId) has every member's roles worked out again.
    if (rolesBefore.length === 0 && rolesAfter.length === 0) return { groupId: id, affected: [] };
    return {
      groupId: id,
      affected: rolesChanged ? [...new Set([...wanted, ...removed])] : [...added, ...removed],
    };
  }

  /** The roles ROLE_MAP gives this group, by its displayName or its externalId. */
  private rolesOf(group: { displayName: string; externalId?: string | null }): Role[] {
    const keys = [group.displayName, ...(group.externalId ? [group.externalId] : [])];
    return rolesFromGroups(keys, this.config.saml.roleMap).filter((r) => r !== Role.Employee);
  }

  private async write(
    client: ApiClient,
    work: (tx: EntityManager) => Promise<{ groupId: string; affected: string[] }>,
  ): Promise<string> {
    let result: { groupId: string; rolesChanged: string[] };
    try {
      result = await this.repository.transaction(async (tx) => {
        const { groupId, affected } = await work(tx);
        return { groupId, rolesChanged: await this.recomputeRoles(tx, client, affected) };
      });
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) {
        throw uniqueness('Another Group has this displayName or externalId.');
      }
      throw error;
    }
    // As at sign-in: a session holds the roles it began with, so a change of roles ends it.
    for (const personId of result.rolesChanged) {
      await this.sessions.endAllFor(personId, 'roles_changed', client.actorId);
    }
    return result.groupId;
  }

  /** The roles ROLE_MAP gives each person's SCIM groups, written where they differ. */
  private async recomputeRoles(
    tx: EntityManager,
    client: ApiClient,
    personIds: readonly string[],
  ): Promise<string[]> {
    const people = await this.repository.lockPeople(tx, personIds);
    const groups = await this.repository.groupKeysOf(tx, personIds);
    const now = this.clock.now();
    const changed: string[] = [];
    for (const person of people) {
      const roles: Role[] = rolesFromGroups(groups.get(person.id) ?? [], this.config.saml.roleMap);
      const from = [...person.roles].sort();
      if (from.join() === roles.join()) continue;
      tx.assign(person, {
        roles,
        fieldSources: withSources(person.fieldSources, ['roles'], 'scim', now),
        updatedAt: now,
      });
      changed.push(person.id);
      await tx.flush();
      await this.audit.recordIn(tx, {
        action: 'person.roles_changed',
        actorId: client.actorId,
        subjectType: 'person',
        subjectId: person.id,
        details: { source: 'scim', from, to: roles },
      });
    }
    return changed;
  }

  private async load(tx: EntityManager, id: string, forUpdate: boolean): Promise<GroupWithMembers> {
    const group = isUuid(id) ? await this.repository.findGroup(tx, id, forUpdate) : null;
    if (!group) throw notFound('Group', id);
    const members = (await this.repository.membersOf(tx, [id])).get(id) ?? [];
    return { group, members };
  }

  private async checkKeys(tx: EntityManager, group: ScimGroup | undefined, input: GroupInput) {
    const other = (id: string | undefined) => id !== undefined && id !== group?.id;
    if (input.displayName && other(await this.repository.groupNamed(tx, input.displayName))) {
      throw uniqueness(`A Group named "${input.displayName}" exists.`);
    }
    if (
      input.externalId &&
      other(await this.repository.groupWithExternalId(tx, input.externalId))
    ) {
      throw uniqueness('Another Group has this externalId.');
    }
  }

  /** Members are Users Attest knows (RFC 7643 §4.2 `members.value` is a User's id). */
  private async checkMembers(tx: EntityManager, ids: readonly string[]) {
    const valid = ids.filter(isUuid);
    const known = await this.repository.existingPeople(tx, valid);
    const unknown = ids.filter((id) => !known.has(id));
    if (unknown.length > 0) {
      throw invalidValue(
        `${unknown.length} member${unknown.length === 1 ? ' is' : 's are'} not a User: ${unknown.slice(0, 5).join(', ')}.`,
      );
    }
  }

  private event(
    tx: EntityManager,
    client: ApiClient,
    action: string,
    groupId: string,
    details: Record<string, unknown>,
  ) {
    return this.audit.recordIn(tx, {
      action,
      actorId: client.actorId,
      subjectType: 'scimGroup',
      subjectId: groupId,
      details: { source: 'scim', ...details },
    });
  }
}

function pick<T extends object, K extends keyof T>(value: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, value[k]])) as Pick<T, K>;
}
