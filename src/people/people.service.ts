import { Inject, Injectable, Optional } from '@nestjs/common';
import { Permission } from '../access/permission';
import type { Principal } from '../access/principal';
import { AuditService } from '../audit/audit.service';
import { toCsv } from '../common/csv/csv';
import { Clock } from '../common/clock';
import type { SsoIdentity } from '../auth/saml/sso-identity';
import type { EditPersonDto, ListPeopleDto } from './dto/people.dto';
import { PersonNotFound } from './people.errors';
import {
  countryLabel,
  EDITABLE_COLUMNS,
  formValues,
  options,
  type PeopleListView,
  type PersonEditView,
  STATUS_OPTIONS,
  toEditView,
  toSummaryView,
} from './people.views';
import { changesIdentity, refusedChanges } from './person-change-rules';
import { changedColumns } from './person-changes';
import {
  PERSON_COLUMNS,
  type FieldError,
  type PersonColumn,
  type RawPersonFields,
  validatePersonFields,
} from './person-fields';
import { type Person, PersonStatus } from './person.entity';
import { PERSON_CHANGES, type PersonChangesListener } from './person-changes.listener';
import { PersonRepository } from './person.repository';
import type { PersonFilter } from './person-search';

export const PAGE_SIZE = 50;

const fmt = (n: number) => n.toLocaleString('en-GB');

function filterOf(query: ListPeopleDto): PersonFilter {
  return {
    q: query.q,
    department: query.department,
    country: query.country,
    status: query.status,
    startMonth: query.startMonth,
    onboardingOpen: query.onboarding === 'open',
  };
}

export type EditOutcome = { saved: true } | { saved: false; view: PersonEditView };

export interface ProvisionResult {
  readonly person: Person;
  readonly created: boolean;
  readonly rolesChanged: boolean;
  /** The IdP sent a new email for the person's bound identity. */
  readonly emailChanged: boolean;
}

const TRANSIENT_NAME_ID = 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient';

const CSV_BATCH = 5000;

@Injectable()
export class PeopleService {
  constructor(
    private readonly people: PersonRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Optional() @Inject(PERSON_CHANGES) private readonly changes?: PersonChangesListener,
  ) {}

  /**
   * Just-in-time provisioning: the first sign-in creates the person and binds them to the IdP
   * identity (issuer and NameID), later ones update what the IdP asserts. Roles are recomputed
   * from the IdP's groups every time. Throws IdentityBoundElsewhere, changing nothing, when the
   * identity and the email select different people.
   */
  async provisionFromSso(identity: SsoIdentity): Promise<ProvisionResult> {
    const { person, previousRoles, previousEmail } = await this.people.upsertFromSso(
      {
        email: identity.email,
        fullName: identity.displayName,
        samlIssuer: identity.idpEntityId,
        samlNameId: identity.nameIdFormat === TRANSIENT_NAME_ID ? null : identity.nameId,
        roles: [...identity.roles],
        department: identity.department,
        country: identity.country,
        managerEmail: identity.managerEmail,
        startDate: identity.startDate,
      },
      this.clock.now(),
    );
    const created = previousRoles === undefined;
    const before = [...(previousRoles ?? [])].sort().join(',');
    const rolesChanged = !created && before !== [...identity.roles].sort().join(',');
    if (created) {
      await this.audit.record({
        action: 'person.created',
        actorId: person.id,
        subjectType: 'person',
        subjectId: person.id,
        details: { source: 'sso', roles: identity.roles },
      });
    } else if (rolesChanged) {
      await this.audit.record({
        action: 'person.roles_changed',
        actorId: 'sso',
        subjectType: 'person',
        subjectId: person.id,
        details: { from: previousRoles, to: identity.roles },
      });
    }
    if (previousEmail !== undefined) {
      await this.audit.record({
        action: 'person.updated',
        actorId: 'sso',
        subjectType: 'person',
        subjectId: person.id,
        details: { source: 'sso', changedFields: ['email'] },
      });
    }
    return { person, created, rolesChanged, emailChanged: previousEmail !== undefined };
  }

  findById(id: string): Promise<Person | null> {
    return this.people.findById(id);
  }

  /** Emails are stored lower-cased; the caller passes one already lower-cased. */
  findByEmail(email: string): Promise<Person | null> {
    return this.people.findByEmail(email);
  }

  list(limit?: number, offset?: number): Promise<[Person[], number]> {
    return this.people.list(limit, offset);
  }

  /** Every person matching the filters, as CSV in the import format (it imports back). */
  async searchCsv(query: ListPeopleDto): Promise<string> {
    const filter = filterOf(query);
    const rows: string[][] = [];
    for (let offset = 0; ; offset += CSV_BATCH) {
      const [people] = await this.people.search(filter, CSV_BATCH, offset);
      for (const person of people) {
        const values = { ...formValues(person), email: person.email };
        rows.push(PERSON_COLUMNS.map((column) => values[column] ?? ''));
      }
      if (people.length < CSV_BATCH) break;
    }
    return toCsv(PERSON_COLUMNS, rows);
  }

  async search(actor: Principal, query: ListPeopleDto): Promise<PeopleListView> {
    const page = query.page ?? 1;
    const filter = filterOf(query);
    const [[people, total], facets] = await Promise.all([
      this.people.search(filter, PAGE_SIZE, (page - 1) * PAGE_SIZE),
      this.people.facets(),
    ]);
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const kept = {
      q: query.q,
      department: query.department,
      country: query.country,
      status: query.status,
      startMonth: query.startMonth,
      onboarding: query.onboarding,
    };
    const pageUrl = (n: number) => {
      const params = new URLSearchParams();
      Object.entries(kept).forEach(([k, v]) => v !== undefined && params.set(k, v));
      params.set('page', String(n));
      return `/people?${params.toString()}`;
    };
    return {
      title: 'People',
      q: query.q ?? '',
      onboarding: query.onboarding ?? '',
      startMonth: query.startMonth ?? '',
      people: people.map(toSummaryView),
      total,
      showing: `Showing ${fmt((page - 1) * PAGE_SIZE + 1)}–${fmt((page - 1) * PAGE_SIZE + people.length)} of ${fmt(total)}`,
      from: total === 0 ? 0 : (page - 1) * PAGE_SIZE + 1,
      to: (page - 1) * PAGE_SIZE + people.length,
      page,
      pages,
      previousUrl: page > 1 ? pageUrl(Math.min(page - 1, pages)) : null,
      nextUrl: page < pages ? pageUrl(page + 1) : null,
      departments: options(
        facets.departments.map((d) => [d, d]),
        query.department,
      ),
      countries: options(
        facets.countries.map((c) => [c, countryLabel(c)]),
        query.country,
      ),
      statuses: options(STATUS_OPTIONS, query.status),
      canImport: actor.permissions.has(Permission.PersonImport),
    };
  }

  async editForm(actor: Principal, id: string): Promise<PersonEditView> {
    const person = await this.found(id);
    return toEditView(actor, person, formValues(person));
  }

  /**
   * Saves HR's edit of a person, checked by the same rules as an import row. Nothing is
   * written when any field is wrong; the form comes back with each problem beside its field.
   */
  async edit(actor: Principal, id: string, form: EditPersonDto): Promise<EditOutcome> {
    const now = this.clock.now();
    const outcome = await this.people.transaction(async (unit) => {
      const person = await unit.findById(id);
      if (!person) throw new PersonNotFound();
      // The email is the sign-in identity, so it is not edited here; it takes part in the
      // checks (nobody manages themselves).
      const raw: RawPersonFields = { email: person.email };
      for (const column of EDITABLE_COLUMNS)
        raw[column] = form[column as keyof EditPersonDto] ?? '';
      const { fields, errors } = validatePersonFields(raw);
      const problems: FieldError[] = [...errors];
      // The database's checks run on every value that is well-formed, so that one answer lists
      // every problem.
      const wellFormed = (column: PersonColumn) =>
        raw[column]?.trim() ? !errors.some((e) => e.column === column) : false;
      if (wellFormed('employee_number')) {
        const number = raw.employee_number!.trim();
        const holders = await unit.findByEmployeeNumbersOrEmails([number], []);
        if (holders.some((p) => p.id !== person.id)) {
          problems.push({ column: 'employee_number', message: 'belongs to another person.' });
        }
      }
      if (wellFormed('manager_email')) {
        const manager = raw.manager_email!.trim().toLowerCase();
        if (!(await unit.existingEmails([manager])).has(manager)) {
          problems.push({
            column: 'manager_email',
            message: `Nobody with the email "${manager}" is in Attest.`,
          });
        }
      }
      const changedFields = fields ? changedColumns(person, fields) : [];
      const refusals = fields ? refusedChanges(actor, person, changedFields) : [];
      problems.push(...refusals.flatMap((r) => r.errors));
      if (!fields || problems.length > 0) {
        const view = toEditView(actor, person, raw, problems);
        return { saved: false as const, view, refusals };
      }
      const identityChanged = changesIdentity(person, changedFields);
      if (changedFields.length > 0) unit.update(person, fields, now, 'edit');
      return {
        saved: true as const,
        changedFields,
        identityChanged,
        terminated: fields.status === PersonStatus.Terminated,
      };
    });
    if (!outcome.saved) {
      for (const refusal of outcome.refusals) {
        await this.audit.record({
          action: 'person.change_refused',
          actorId: actor.personId,
          subjectType: 'person',
          subjectId: id,
          details: { source: 'edit', reason: refusal.reason, fields: refusal.fields },
        });
      }
      return { saved: false, view: outcome.view };
    }
    if (outcome.changedFields.length > 0) {
      await this.audit.record({
        action: 'person.updated',
        actorId: actor.personId,
        subjectType: 'person',
        subjectId: id,
        details: { source: 'edit', changedFields: outcome.changedFields },
      });
      await this.changes?.peopleChanged(
        actor.personId,
        [id],
        outcome.terminated ? [id] : [],
        outcome.identityChanged ? [id] : [],
        'edit',
      );
    }
    return { saved: true };
  }

  private async found(id: string): Promise<Person> {
    const person = await this.people.findById(id);
    if (!person) throw new PersonNotFound();
    return person;
  }
}
