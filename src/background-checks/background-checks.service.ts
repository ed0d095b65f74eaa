import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { backgroundCheckAccess, grants } from '../access/background-check.policy';
import { mayDecideAbout } from '../access/separation-of-duties.policy';
import type { Principal } from '../access/principal';
import { AuditService } from '../audit/audit.service';
import { toCsv } from '../common/csv/csv';
import { humanInstant, plural } from '../common/labels';
import { Permission } from '../access/permission';
import { Clock } from '../common/clock';
import type { Person } from '../people/person.entity';
import { RequirementsService } from '../requirements/requirements.service';
import { BackgroundCheckEventSource } from './background-check-event.entity';
import { BackgroundCheckRepository } from './background-check.repository';
import { BackgroundCheckSecrets } from './background-check-secrets';
import { type BackgroundCheck, BackgroundCheckStatus } from './background-check.entity';
import {
  type BackgroundCheckDetailView,
  type BackgroundCheckListView,
  datesView,
  historyView,
  label,
  type MyBackgroundChecksView,
  rowView,
  statusOptions,
  typeOptions,
} from './background-check.views';
import {
  BackgroundCheckExists,
  BackgroundCheckNotFound,
  PersonNotFound,
  ProviderReferenceConflict,
  SelfAdjudicationRefused,
} from './background-checks.errors';
import type {
  BackgroundCheckListQuery,
  CreateBackgroundCheckDto,
  UpdateBackgroundCheckDto,
} from './dto/background-check-form.dto';

export const PAGE_SIZE = 50;

/** HR's and auditors' pages on background checks, and each person's view of their own. */
@Injectable()
export class BackgroundChecksService {
  constructor(
    private readonly checks: BackgroundCheckRepository,
    private readonly secrets: BackgroundCheckSecrets,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly requirements: RequirementsService,
  ) {}

  async list(actor: Principal, query: BackgroundCheckListQuery): Promise<BackgroundCheckListView> {
    const [rows, total] = await this.checks.list(query, PAGE_SIZE, (query.page - 1) * PAGE_SIZE);
    const visible = rows.filter((c) => grants(this.accessTo(actor, c), 'status'));
    const filter = new URLSearchParams({ status: query.status ?? '', type: query.type ?? '' });
    return {
      title: 'Background checks',
      checks: visible.map(rowView),
      total,
      totalText: plural(total, 'check'),
      canRecord: actor.permissions.has(Permission.BackgroundCheckWrite),
      statuses: [
        {
          value: 'pending',
          label: 'Pending (not decided yet)',
          selected: query.status === 'pending',
        },
        ...statusOptions(query.status),
      ],
      types: typeOptions(query.type),
      page: query.page,
      previousPage: query.page > 1 ? query.page - 1 : null,
      nextPage: query.page * PAGE_SIZE < total ? query.page + 1 : null,
      filterQuery: filter.toString(),
    };
  }

  /** Every check the filters match that the actor may see, as CSV: type, status, dates only. */
  async listCsv(actor: Principal, query: BackgroundCheckListQuery): Promise<string> {
    const rows: unknown[][] = [];
    for (let offset = 0; ; offset += 5000) {
      const [batch] = await this.checks.list(query, 5000, offset);
      for (const check of batch) {
        if (!grants(this.accessTo(actor, check), 'status')) continue;
        const view = rowView(check);
        rows.push([
          view.id,
          view.personName,
          view.type,
          view.status,
          view.jurisdiction,
          view.updatedAt,
        ]);
      }
      if (batch.length < 5000) break;
    }
    return toCsv(['id', 'person', 'type', 'status', 'jurisdiction', 'updated_at'], rows);
  }

  /** One check, as much of it as the policy allows. Every view beyond one's own is audited. */
  async show(actor: Principal, id: string): Promise<BackgroundCheckDetailView> {
    const check = await this.checks.findById(id);
    const level = check ? this.accessTo(actor, check) : 'none';
    if (!check || level === 'none') throw new BackgroundCheckNotFound();
    const view: BackgroundCheckDetailView = {
      title: `${label(check.type)} check`,
      csrfToken: actor.csrfToken,
      id: check.id,
      level,
      type: label(check.type),
      status: label(check.status),
    };
    if (level === 'own') return view;
    const events = await this.checks.historyOf(check.id);
    const tracking = {
      personId: check.person.id,
      personName: check.person.fullName,
      jurisdiction: check.jurisdiction,
      dates: datesView(check),
      history: historyView(events, await this.checks.namesOf(events.map((e) => e.actorId))),
    };
    // Decrypt before auditing, audit before answering: a view the log lacks never happened.
    const details =
      level === 'full'
        ? {
            providerName: check.providerName ?? '',
            providerReference: check.providerReference ?? '',
            waiverReason: check.waiverReason ?? '',
            adjudicationNotes:
              this.secrets.open(check.id, 'adjudicationNotes', check.adjudicationNotesCiphertext) ??
              '',
            reportReference:
              this.secrets.open(check.id, 'reportReference', check.reportReferenceCiphertext) ?? '',
            canEdit: check.person.id !== actor.personId,
            purged: check.detailsPurgedAt
              ? `Deleted under the retention policy on ${humanInstant(check.detailsPurgedAt)}`
              : null,
          }
        : undefined;
    await this.recordView(actor, check, level, 'view');
    return { ...view, tracking, details };
  }

  async mine(actor: Principal): Promise<MyBackgroundChecksView> {
    const checks = await this.checks.listForPerson(actor.personId);
    return {
      title: 'My background checks',
      checks: checks
        .filter((c) => grants(this.accessTo(actor, c), 'own'))
        .map((c) => ({ id: c.id, type: label(c.type), status: label(c.status) })),
    };
  }

  /** Creates a check for someone else; returns its id. */
  async create(actor: Principal, input: CreateBackgroundCheckDto): Promise<string> {
    const person = await this.subjectFor(actor, input.personId);
    const now = this.clock.now();
    const id = randomUUID();
    try {
      await this.checks.transactional(async (tx) => {
        if (await this.checks.lockByPersonAndType(tx, person.id, input.type)) {
          throw new BackgroundCheckExists();
        }
        this.checks.create(tx, id, {
          personId: person.id,
          type: input.type,
          ...this.editableValues(id, input),
          createdAt: now,
          updatedAt: now,
        });
        this.checks.appendEvent(tx, {
          checkId: id,
          at: now,
          actorId: actor.personId,
          fromStatus: null,
          toStatus: input.status,
          source: BackgroundCheckEventSource.Hr,
        });
      });
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) throw new BackgroundCheckExists();
      throw error;
    }
    await this.audit.record({
      action: 'backgroundCheck.created',
      actorId: actor.personId,
      subjectType: 'backgroundCheck',
      subjectId: id,
      details: { personId: person.id, type: input.type, status: input.status },
    });
    // The screening requirement follows its check record.
    await this.requirements.derive([person.id]);
    return id;
  }

  async update(actor: Principal, id: string, input: UpdateBackgroundCheckDto): Promise<void> {
    const now = this.clock.now();
    const { from, personId } = await this.checks
      .transactional(async (tx) => {
        const check = await this.checks.lockById(tx, id);
        if (!check || this.accessTo(actor, check) !== 'full') throw new BackgroundCheckNotFound();
        if (!mayDecideAbout(actor, check.person.id)) throw new SelfAdjudicationRefused();
        const before = check.status;
        tx.assign(check, { ...this.editableValues(id, input), updatedAt: now });
        if (before !== input.status) {
          this.checks.appendEvent(tx, {
            checkId: id,
            at: now,
            actorId: actor.personId,
            fromStatus: before,
            toStatus: input.status,
            source: BackgroundCheckEventSource.Hr,
          });
        }
        return { from: before, personId: check.person.id };
      })
      .catch((error: unknown) => {
        // The only unique key an update can break: another check holds this provider reference.
        if (error instanceof UniqueConstraintViolationException) {
          throw new ProviderReferenceConflict();
        }
        throw error;
      });
    await this.audit.record({
      action: from === input.status ? 'backgroundCheck.updated' : 'backgroundCheck.status_changed',
      actorId: actor.personId,
      subjectType: 'backgroundCheck',
      subjectId: id,
      details: { from, to: input.status },
    });
    await this.requirements.derive([personId]);
  }

  accessTo(actor: Principal, check: BackgroundCheck) {
    return backgroundCheckAccess(actor, { personId: check.person.id });
  }

  /** The person a check is for: one who exists, and not the HR person themselves. */
  async subjectFor(actor: Principal, personId: string): Promise<Person> {
    const person = await this.checks.findPerson(personId);
    if (!person || !grants(backgroundCheckAccess(actor, { personId }), 'full')) {
      throw new PersonNotFound();
    }
    if (!mayDecideAbout(actor, person.id)) throw new SelfAdjudicationRefused();
    return person;
  }

  private editableValues(id: string, input: UpdateBackgroundCheckDto) {
    return {
      jurisdiction: input.jurisdiction,
      status: input.status,
      invitedAt: input.invitedAt ?? null,
      startedAt: input.startedAt ?? null,
      completedAt: input.completedAt ?? null,
      expiresAt: input.expiresAt ?? null,
      waiverReason: input.status === BackgroundCheckStatus.Waived ? input.waiverReason! : null,
      providerName: input.providerName ?? null,
      providerReference: input.providerReference ?? null,
      adjudicationNotesCiphertext: this.secrets.seal(
        id,
        'adjudicationNotes',
        input.adjudicationNotes,
      ),
      reportReferenceCiphertext: this.secrets.seal(id, 'reportReference', input.reportReference),
    };
  }

  async recordView(
    actor: Principal,
    check: BackgroundCheck,
    level: string,
    purpose: 'view' | 'edit',
  ): Promise<void> {
    await this.audit.record({
      action: 'backgroundCheck.details_viewed',
      actorId: actor.personId,
      subjectType: 'backgroundCheck',
      subjectId: check.id,
      details: { personId: check.person.id, level, purpose },
    });
  }
}
