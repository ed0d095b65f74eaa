import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../../access/principal';
import { AuditService } from '../../audit/audit.service';
import { Clock } from '../../common/clock';
import {
  type ChangeActor,
  type ChangeRefusal,
  changesIdentity,
  refusedChanges,
} from '../person-change-rules';
import { changedColumns } from '../person-changes';
import type { PersonColumn } from '../person-fields';
import { type Person, PersonStatus } from '../person.entity';
import { PERSON_CHANGES, type PersonChangesListener } from '../person-changes.listener';
import { PersonRepository, type PersonUnit } from '../person.repository';
import { type ImportError, parsePeopleCsv, type PersonRow } from './people-csv.parser';

/** Who imports: a signed-in HR person, or an operator at the `attest` command line. */
export type ImportActor = Principal | 'cli';

export interface ImportCounts {
  created: number;
  updated: number;
  unchanged: number;
}

export type ImportOutcome = ({ ok: true } & ImportCounts) | { ok: false; errors: ImportError[] };

/** A row refused by a rule on who may change what, audited whether or not the file is. */
interface RowRefusal {
  personId: string;
  line: number;
  refusal: ChangeRefusal;
}

interface Change {
  personId: string;
  /** Undefined for a person the import created. */
  changedFields?: PersonColumn[];
  /** The row leaves the person terminated. */
  terminated: boolean;
  /** The row changes who the person is (see changesIdentity). */
  identityChanged?: boolean;
}

@Injectable()
export class PeopleImportService {
  constructor(
    private readonly people: PersonRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    // Required wherever Nest builds the import, so no path imports people without it; a test
    // that builds the service by hand may leave it out.
    @Inject(PERSON_CHANGES) private readonly changes?: PersonChangesListener,
  ) {}

  /**
   * Imports a people CSV file: all or nothing. The file is checked first, then, in one
   * transaction, against the people already in Attest; only a file without a single problem
   * is written.
   */
  async import(actor: ImportActor, file: Buffer): Promise<ImportOutcome> {
    const parsed = parsePeopleCsv(file);
    if (parsed.errors.length > 0) return { ok: false, errors: parsed.errors };
    const now = this.clock.now();
    const refusals: RowRefusal[] = [];
    const applied = await this.people.transaction(async (unit) => {
      const matched = await this.match(unit, actor, parsed.rows);
      refusals.push(...matched.refusals);
      if ('errors' in matched) return matched;
      const changes: Change[] = [];
      let unchanged = 0;
      for (const { row, person } of matched.plan) {
        if (!person) {
          changes.push({
            personId: unit.create(row.fields, now, 'csv').id,
            terminated: row.fields.status === PersonStatus.Terminated,
          });
          continue;
        }
        const changedFields = changedColumns(person, row.fields);
        if (changedFields.length === 0) {
          unchanged++;
          continue;
        }
        const identityChanged = changesIdentity(person, changedFields);
        unit.update(person, row.fields, now, 'csv');
        changes.push({
          personId: person.id,
          changedFields,
          identityChanged,
          terminated:
            changedFields.includes('status') && row.fields.status === PersonStatus.Terminated,
        });
      }
      return { changes, unchanged };
    });
    // The audit log appends in its own transaction (and the embedded database has a single
    // connection), so the events follow the commit, as for sign-in provisioning.
    const actorId = actor === 'cli' ? 'cli' : actor.personId;
    for (const { personId, line, refusal } of refusals) {
      await this.audit.record({
        action: 'person.change_refused',
        actorId,
        subjectType: 'person',
        subjectId: personId,
        details: { source: 'import', reason: refusal.reason, fields: refusal.fields, line },
      });
    }
    if ('errors' in applied) return { ok: false, errors: applied.errors };

    for (const change of applied.changes) {
      await this.audit.record({
        action: change.changedFields ? 'person.updated' : 'person.imported',
        actorId,
        subjectType: 'person',
        subjectId: change.personId,
        details: change.changedFields
          ? { source: 'import', changedFields: change.changedFields }
          : { source: 'import' },
      });
    }
    // Whoever imports (HR's page or `attest import people`), the same follows: requirements
    // derived again, leavers and people whose identity changed signed out.
    await this.changes?.peopleChanged(
      actorId,
      applied.changes.map((c) => c.personId),
      applied.changes.filter((c) => c.terminated).map((c) => c.personId),
      applied.changes.filter((c) => c.identityChanged).map((c) => c.personId),
      'csv',
    );
    const created = applied.changes.filter((c) => !c.changedFields).length;
    return {
      ok: true,
      created,
      updated: applied.changes.length - created,
      unchanged: applied.unchanged,
    };
  }

  /**
   * Finds the person each row is about (by employee number, else by email) and the problems
   * only the database can show: an email that belongs to someone else, a person whose employee
   * number would change, a manager nobody knows, and a change the importer may not make (see
   * refusedChanges: a bound email, their own requirement fields, an admin's record).
   */
  private async match(
    unit: PersonUnit,
    actor: ImportActor,
    rows: PersonRow[],
  ): Promise<
    ({ plan: Array<{ row: PersonRow; person?: Person }> } | { errors: ImportError[] }) & {
      refusals: RowRefusal[];
    }
  > {
    const existing = await unit.findByEmployeeNumbersOrEmails(
      rows.map((r) => r.fields.employeeNumber),
      rows.map((r) => r.fields.email),
    );
    const byNumber = new Map<string, Person>();
    const byEmail = new Map<string, Person>();
    for (const person of existing) {
      if (person.employeeNumber) byNumber.set(person.employeeNumber, person);
      byEmail.set(person.email, person);
    }
    const inFile = new Set(rows.map((r) => r.fields.email));
    const managers = new Set<string>();
    rows.forEach(({ fields: { managerEmail } }) => {
      if (managerEmail && !inFile.has(managerEmail)) managers.add(managerEmail);
    });
    const known = await unit.existingEmails([...managers]);

    const errors: ImportError[] = [];
    const refusals: RowRefusal[] = [];
    const changeActor: ChangeActor =
      actor === 'cli' ? 'cli' : { personId: actor.personId, roles: actor.roles };
    const plan = rows.map((row) => {
      const { email, employeeNumber, managerEmail } = row.fields;
      const person = byNumber.get(employeeNumber) ?? byEmail.get(email);
      const owner = byEmail.get(email);
      if (person && owner && owner.id !== person.id) {
        errors.push({
          line: row.line,
          column: 'email',
          message: `"${email}" belongs to another person in Attest (employee number ${owner.employeeNumber ?? 'not set'}).`,
        });
      } else if (person?.employeeNumber && person.employeeNumber !== employeeNumber) {
        errors.push({
          line: row.line,
          column: 'employee_number',
          message: `"${email}" has employee number ${person.employeeNumber} in Attest. Use that number, or change it on the person's page first.`,
        });
      } else if (person) {
        for (const refusal of refusedChanges(
          changeActor,
          person,
          changedColumns(person, row.fields),
        )) {
          refusals.push({ personId: person.id, line: row.line, refusal });
          errors.push(...refusal.errors.map((e) => ({ line: row.line, ...e })));
        }
      }
      if (managerEmail && !inFile.has(managerEmail) && !known.has(managerEmail)) {
        errors.push({
          line: row.line,
          column: 'manager_email',
          message: `Nobody with the email "${managerEmail}" is in this file or in Attest.`,
        });
      }
      return { row, person };
    });
    return errors.length > 0 ? { errors, refusals } : { plan, refusals };
  }
}
