import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, Optional } from '@nestjs/common';
import type { ApiClient } from '../access/api-token.guard';
import { AuditService } from '../audit/audit.service';
import { Role } from '../access/role';
import { calendarDayOf } from '../common/calendar-day';
import { Clock } from '../common/clock';
import { LeavingService } from '../offboarding/leaving.service';
import {
  changesIdentity,
  isScimBound,
  scimEmailChangeRefusal,
} from '../people/person-change-rules';
import { changedColumns } from '../people/person-changes';
import { PERSON_CHANGES, type PersonChangesListener } from '../people/person-changes.listener';
import type { PersonFields } from '../people/person-fields';
import { type Person, PersonStatus } from '../people/person.entity';
import { PersonUnit } from '../people/person.repository';
import { hasLeft } from '../requirements/assignment-deriver';
import { conflict, invalidValue, notFound, uniqueness } from './scim.errors';
import { project } from './scim-attributes';
import { userFilterSql } from './scim-filter';
import { isUuid, paging, type ScimListQuery } from './scim-paging';
import { applyPatch, scimPatchOperations } from './scim-patch-request';
import { scimPersonFields } from './scim-person-fields';
import { ScimRepository } from './scim.repository';
import { listResponse } from './scim-schemas';
import {
  fromScimUser,
  type ScimResource,
  type ScimUserInput,
  toScimUser,
  withRemovals,
} from './scim-user.mapper';

/** What one write did, for the listener after the commit. */
interface Written {
  person: Person;
  created: boolean;
  changed: boolean;
  terminated: boolean;
  identityChanged: boolean;
}

/**
 * Users (RFC 7644 §3): the IdP creates, updates and deactivates people. Every field it writes
 * is checked by the people rules (validatePersonFields), recorded as from `scim`, audited with
 * the token as actor (ids and field names only), and followed by what an HR edit is followed
 * by: requirements derived again, leavers offboarded.
 */
@Injectable()
export class ScimUsersService {
  constructor(
    private readonly repository: ScimRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly leaving: LeavingService,
    @Optional() @Inject(PERSON_CHANGES) private readonly changes?: PersonChangesListener,
  ) {}

  async list(query: ScimListQuery) {
    const { startIndex, count } = paging(query);
    const where = userFilterSql(query.filter);
    const [people, total] = await this.repository.listPeople(where, count, startIndex - 1);
    const managers = await this.repository.idsByEmail(
      people.map((p) => p.managerEmail).filter((e): e is string => !!e),
    );
    const resources = people.map((p) =>
      project(
        toScimUser(p, p.managerEmail ? (managers.get(p.managerEmail) ?? null) : null),
        query.attributes,
        query.excludedAttributes,
      ),
    );
    return listResponse(resources, total, startIndex);
  }

  async get(id: string, query: ScimListQuery = {}): Promise<ScimResource> {
    const person = isUuid(id) ? await this.repository.findPerson(id) : null;
    if (!person) throw notFound('User', id);
    return project(await this.view(person), query.attributes, query.excludedAttributes);
  }

  /**
   * RFC 7644 §3.3. A userName Attest has not seen, whose employee number (else email) is a
   * person no IdP provisioned yet (a CSV import, a sign-in), adopts that person rather than
   * creating a second one.
   */
  async create(client: ApiClient, body: ScimResource): Promise<ScimResource> {
    const input = fromScimUser(body);
    if (!input.userName) throw invalidValue('"userName" is required (RFC 7643 §4.1.1).');
    input.email ??= input.userName;
    const written = await this.write(client, async (tx) => {
      if (await this.repository.holderOfUserName(tx, input.userName!)) {
        throw uniqueness(`A User with userName "${input.userName}" exists.`);
      }
      const byNumber = input.employeeNumber
        ? await this.repository.holderOf(tx, 'employeeNumber', input.employeeNumber)
        : null;
      const byEmail = await this.repository.holderOf(tx, 'email', input.email!.toLowerCase());
      if (byNumber && byEmail && byNumber.id !== byEmail.id) {
        throw uniqueness(`Another User has the email "${input.email}".`);
      }
      const existing = byNumber ?? byEmail;
      if (existing?.scimUserName) {
        throw uniqueness(
          `The ${byNumber ? 'employeeNumber' : 'email'} belongs to User ${existing.id}, provisioned under another userName.`,
        );
      }
      // Adoption never moves an email: the person (imported, or bound to a sign-in identity)
      // would be signed in by whoever holds the new address at the IdP.
      if (existing && existing.email !== input.email!.toLowerCase()) {
        throw uniqueness(
          `The employeeNumber belongs to User ${existing.id}, whom Attest knows under another email. SCIM does not change the email of a person it did not provision: make the emails match (at the identity provider, or by HR in Attest), then provision again.`,
        );
      }
      // As the CSV import refuses it: the same email under another employee number is two
      // records of one person, or two people, and HR must say which.
      if (
        existing &&
        input.employeeNumber &&
        existing.employeeNumber &&
        existing.employeeNumber !== input.employeeNumber
      ) {
        throw uniqueness(
          `The email belongs to User ${existing.id}, who has another employeeNumber. Correct one of them first.`,
        );
      }
      return existing
        ? this.apply(tx, client, existing, input, 'adopted')
        : this.insert(tx, client, input);
    });
    return this.view(written.person);
  }

  /** RFC 7644 §3.5.1. Attributes left out are kept as they are, as §3.5.1 allows. */
  async replace(client: ApiClient, id: string, body: ScimResource): Promise<ScimResource> {
    const written = await this.write(client, async (tx) => {
      const person = await this.locked(tx, id);
      const before = await this.viewIn(tx, person);
      const input = fromScimUser(body, before);
      if (!input.userName) throw invalidValue('"userName" is required (RFC 7643 §4.1.1).');
      checkBinding(person, input);
      return this.apply(tx, client, person, input, 'updated');
    });
    return this.view(written.person);
  }

  /** RFC 7644 §3.5.2: the operations applied to the User as it is, then saved as a PUT would. */
  async patch(client: ApiClient, id: string, body: unknown): Promise<ScimResource> {
    const operations = scimPatchOperations(body);
    const written = await this.write(client, async (tx) => {
      const person = await this.locked(tx, id);
      const before = await this.viewIn(tx, person);
      const after = applyPatch(before, operations);
      const input = withRemovals(fromScimUser(after, before), fromScimUser(before));
      checkBinding(person, input);
      return this.apply(tx, client, person, input, 'updated');
    });
    return this.view(written.person);
  }

  /** Signed records are never deleted: DELETE deactivates, as `active: false` does. */
  async deactivate(client: ApiClient, id: string): Promise<void> {
    await this.write(client, async (tx) => {
      const person = await this.locked(tx, id);
      return this.apply(tx, client, person, { active: false }, 'updated');
    });
  }

  private async write(
    client: ApiClient,
    work: (tx: EntityManager) => Promise<Written>,
  ): Promise<Written> {
    let written: Written;
    try {
      written = await this.repository.transaction(work);
    } catch (error) {
      // Two creates of one userName at once: the unique indexes let one through.
      if (error instanceof UniqueConstraintViolationException) {
        throw uniqueness('Another User holds this userName, externalId, email or employeeNumber.');
      }
      throw error;
    }
    if (written.changed) {
      const id = written.person.id;
      await this.changes?.peopleChanged(
        client.actorId,
        [id],
        written.terminated ? [id] : [],
        written.identityChanged ? [id] : [],
        'scim',
      );
    }
    return written;
  }

  private async locked(tx: EntityManager, id: string): Promise<Person> {
    const person = isUuid(id) ? await this.repository.lockPerson(tx, id) : null;
    if (!person) throw notFound('User', id);
    return person;
  }

  private async insert(
    tx: EntityManager,
    client: ApiClient,
    input: ScimUserInput,
  ): Promise<Written> {
    const now = this.clock.now();
    input.fullName ??= input.userName;
    await this.checkKeys(tx, undefined, input);
    const fields = scimPersonFields(undefined, input, await this.managerEmail(tx, input));
    const today = now.toISOString().slice(0, 10);
    const status =
      input.active === false
        ? PersonStatus.Terminated
        : fields.startDate && fields.startDate > today
          ? PersonStatus.PreStart
          : PersonStatus.Active;
    const person = new PersonUnit(tx).create({ ...fields, status } as PersonFields, now, 'scim');
    tx.assign(person, {
      scimUserName: input.userName,
      scimExternalId: input.externalId ?? null,
      deprovisionedAt: status === PersonStatus.Terminated ? now : null,
    });
    await tx.flush();
    await this.audit.recordIn(tx, {
      action: 'person.created',
      actorId: client.actorId,
      subjectType: 'person',
      subjectId: person.id,
      details: { source: 'scim', changedFields: Object.keys(fields) },
    });
    await this.leaveIfLeft(tx, client, person);
    return {
      person,
      created: true,
      changed: true,
      terminated: status === PersonStatus.Terminated,
      identityChanged: false,
    };
  }

  /** Applies what the IdP says to an existing person: an update, or the adoption of one. */
  private async apply(
    tx: EntityManager,
    client: ApiClient,
    person: Person,
    input: ScimUserInput,
    kind: 'updated' | 'adopted',
  ): Promise<Written> {
    const now = this.clock.now();
    await this.checkKeys(tx, person, input);
    const fields = scimPersonFields(person, input, await this.managerEmail(tx, input));
    const wasTerminated = person.status === PersonStatus.Terminated;
    if (input.active === false && !wasTerminated) {
      await this.checkNotLastAdmin(tx, person);
      fields.status = PersonStatus.Terminated;
    }
    // Okta sends `active: true` on every PUT: it brings back only whom SCIM itself
    // deprovisioned, never a person HR (or an import) terminated.
    const reactivating = input.active === true && wasTerminated;
    const reactivated =
      reactivating &&
      person.deprovisionedAt !== null &&
      person.fieldSources?.status?.source === 'scim';
    if (reactivated) {
      const startDate = fields.startDate !== undefined ? fields.startDate : person.startDate;
      fields.status =
        startDate && startDate > calendarDayOf(now) ? PersonStatus.PreStart : PersonStatus.Active;
    }
    const changed = changedColumns(person, fields as PersonFields);
    const refusal = scimEmailChangeRefusal(person, changed);
    if (refusal) throw uniqueness(refusal);
    const identityChanged = changesIdentity(person, changed);
    const binding = {
      ...(input.userName !== undefined && input.userName !== person.scimUserName
        ? { scimUserName: input.userName }
        : {}),
      ...(input.externalId !== undefined && input.externalId !== person.scimExternalId
        ? { scimExternalId: input.externalId }
        : {}),
    };
    const terminated = !wasTerminated && fields.status === PersonStatus.Terminated;
    if (changed.length > 0) new PersonUnit(tx).update(person, fields as PersonFields, now, 'scim');
    tx.assign(person, {
      ...binding,
      ...(terminated ? { deprovisionedAt: now } : {}),
      ...(reactivated ? { deprovisionedAt: null, accessEndedAt: null } : {}),
      ...(Object.keys(binding).length > 0 ? { updatedAt: now } : {}),
    });
    await tx.flush();
    const event = (action: string, details: Record<string, unknown>) =>
      this.audit.recordIn(tx, {
        action,
        actorId: client.actorId,
        subjectType: 'person',
        subjectId: person.id,
        details: { source: 'scim', ...details },
      });
    if (kind === 'adopted') await event('person.scim_bound', { changedFields: changed });
    else if (changed.length > 0 || Object.keys(binding).length > 0) {
      await event('person.updated', { changedFields: [...changed, ...Object.keys(binding)] });
    }
    if (terminated) await event('person.deprovisioned', {});
    if (reactivated) await event('person.reactivated', { status: fields.status });
    if (reactivating && !reactivated) {
      await event('person.reactivation_ignored', { reason: 'not_deprovisioned_by_scim' });
    }
    await this.leaveIfLeft(tx, client, person);
    return {
      person,
      created: false,
      changed: changed.length > 0,
      terminated,
      identityChanged,
    };
  }

  /**
   * Leaving (src/offboarding/leaving.service.ts) in this transaction: if it fails, nothing of
   * the request is written and the IdP's retry runs it all again. A deactivation sent again for
   * a person whose leaving never completed (access not ended) runs it then.
   */
  private async leaveIfLeft(tx: EntityManager, client: ApiClient, person: Person) {
    if (person.accessEndedAt || !hasLeft(person, calendarDayOf(this.clock.now()))) return;
    await this.leaving.leaveIn(tx, client.actorId, person.id, 'scim');
  }

  /**
   * Deactivating the only active admin would leave nobody to administer Attest (nor to restore
   * an admin): refused with 409, nothing written. ROLE_MAP or another admin comes first.
   */
  private async checkNotLastAdmin(tx: EntityManager, person: Person) {
    if (person.status !== PersonStatus.Active || !person.roles.includes(Role.Admin)) return;
    if ((await this.repository.otherActiveAdmins(tx, person.id)) > 0) return;
    throw conflict(
      `User ${person.id} is the only active admin of Attest: deactivating them would leave nobody to administer it. Give another person the admin role first.`,
    );
  }

  /** userName, externalId, email and employeeNumber each name one person (409 uniqueness). */
  private async checkKeys(tx: EntityManager, person: Person | undefined, input: ScimUserInput) {
    const other = (id: string | undefined) => id !== undefined && id !== person?.id;
    if (input.userName && other(await this.repository.holderOfUserName(tx, input.userName))) {
      throw uniqueness(`Another User has the userName "${input.userName}".`);
    }
    const keys = [
      ['scimExternalId', input.externalId, 'externalId'],
      ['email', input.email?.toLowerCase(), 'email'],
      ['employeeNumber', input.employeeNumber, 'employeeNumber'],
    ] as const;
    for (const [key, value, name] of keys) {
      if (value && other((await this.repository.holderOf(tx, key, value))?.id)) {
        throw uniqueness(`Another User has this ${name}.`);
      }
    }
  }

  /**
   * enterprise `manager.value` is the manager's SCIM id. An id that names nobody is ignored
   * (the manager stays as it was): identity providers provision in no set order, and send the
   * manager again once both exist.
   */
  private async managerEmail(
    tx: EntityManager,
    input: ScimUserInput,
  ): Promise<string | null | undefined> {
    if (input.managerId === undefined) return undefined;
    if (input.managerId === null) return null;
    if (!isUuid(input.managerId)) return undefined;
    return this.repository.emailOf(tx, input.managerId);
  }

  private async view(person: Person): Promise<ScimResource> {
    const managers = person.managerEmail
      ? await this.repository.idsByEmail([person.managerEmail])
      : new Map<string, string>();
    return toScimUser(
      person,
      person.managerEmail ? (managers.get(person.managerEmail) ?? null) : null,
    );
  }

  private async viewIn(tx: EntityManager, person: Person): Promise<ScimResource> {
    const managerId = person.managerEmail
      ? ((await this.repository.idOfEmail(tx, person.managerEmail)) ?? null)
      : null;
    return toScimUser(person, managerId);
  }
}

/**
 * A PUT or PATCH on a person SCIM has not provisioned (an import, a sign-in: their userName
 * reads as their email) binds them to the IdP only under that same email, as Okta's "find by
 * userName, then link" does. Any other userName or email is refused (409), nothing written.
 */
function checkBinding(person: Person, input: ScimUserInput): void {
  if (isScimBound(person)) return;
  const names = [input.userName, input.email].filter((n): n is string => !!n);
  if (names.every((n) => n.toLowerCase() === person.email)) return;
  throw uniqueness(
    `User ${person.id} was not provisioned by SCIM and is known by another email: SCIM binds them only under their own email (userName and emails), and does not change it. Make the emails match (at the identity provider, or by HR in Attest) first.`,
  );
}
