import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { ApiClient } from '../access/api-token.guard';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import type { Person } from '../people/person.entity';
import { RequirementsService } from '../requirements/requirements.service';
import { BackgroundCheckEventSource } from './background-check-event.entity';
import { BackgroundCheckRepository } from './background-check.repository';
import { BackgroundCheckSecrets, type SealedField } from './background-check-secrets';
import { type BackgroundCheck, BackgroundCheckStatus } from './background-check.entity';
import { BackgroundCheckInvalid, ProviderReferenceConflict } from './background-checks.errors';
import type { ProviderEventDto } from './dto/provider-event.dto';

/** What the provider is told: the check, its status now, and whether this event changed it. */
export interface ProviderEventResult {
  readonly checkId: string;
  readonly status: BackgroundCheckStatus;
  readonly changed: boolean;
}

type StampField = 'invitedAt' | 'startedAt' | 'completedAt' | 'expiresAt';

/** The date a status stamps when the provider first reports it. */
const STAMPS: Partial<Record<BackgroundCheckStatus, StampField>> = {
  [BackgroundCheckStatus.Invited]: 'invitedAt',
  [BackgroundCheckStatus.InProgress]: 'startedAt',
  [BackgroundCheckStatus.Clear]: 'completedAt',
  [BackgroundCheckStatus.Consider]: 'completedAt',
  [BackgroundCheckStatus.AdverseAction]: 'completedAt',
  [BackgroundCheckStatus.Expired]: 'expiresAt',
};

interface Outcome extends ProviderEventResult {
  readonly created: boolean;
  readonly fromStatus: BackgroundCheckStatus | null;
}

/**
 * Status events from screening providers. Idempotent by (providerName, providerReference):
 * delivering the same event again changes nothing, and an event older than the newest one
 * already applied is acknowledged but not applied, since webhooks arrive out of order.
 */
@Injectable()
export class ProviderEventsService {
  constructor(
    private readonly checks: BackgroundCheckRepository,
    private readonly secrets: BackgroundCheckSecrets,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly requirements: RequirementsService,
  ) {}

  async ingest(client: ApiClient, event: ProviderEventDto): Promise<ProviderEventResult> {
    const person = await this.checks.findPersonBy({
      email: event.personEmail,
      employeeNumber: event.employeeNumber,
    });
    if (!person) {
      const path = event.employeeNumber ? 'employeeNumber' : 'personEmail';
      throw new BackgroundCheckInvalid([{ path, message: 'no person in Attest matches this' }]);
    }
    let outcome: Outcome;
    try {
      outcome = await this.checks.transactional((tx) => this.apply(tx, client, person, event));
    } catch (error) {
      // Two deliveries of a new check at once: the loser applies its event to the winner's row.
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
      outcome = await this.checks.transactional((tx) => this.apply(tx, client, person, event));
    }
    if (outcome.created || outcome.fromStatus !== outcome.status) {
      await this.audit.record({
        action: outcome.created ? 'backgroundCheck.created' : 'backgroundCheck.status_changed',
        actorId: client.actorId,
        subjectType: 'backgroundCheck',
        subjectId: outcome.checkId,
        details: { personId: person.id, from: outcome.fromStatus, to: outcome.status },
      });
      // The screening requirement follows its check record.
      await this.requirements.derive([person.id]);
    }
    return { checkId: outcome.checkId, status: outcome.status, changed: outcome.changed };
  }

  private async apply(
    tx: EntityManager,
    client: ApiClient,
    person: Person,
    event: ProviderEventDto,
  ): Promise<Outcome> {
    const now = this.clock.now();
    const at = new Date(event.occurredAt);
    const check = await this.findOrAttach(tx, person, event);
    if (!check) {
      const id = randomUUID();
      this.checks.create(tx, id, {
        personId: person.id,
        type: event.type,
        jurisdiction: event.jurisdiction,
        providerName: event.providerName,
        providerReference: event.providerReference,
        status: event.status,
        invitedAt: null,
        startedAt: null,
        completedAt: null,
        expiresAt: null,
        ...stamp(event.status, at),
        waiverReason: null,
        adjudicationNotesCiphertext: this.secrets.seal(
          id,
          'adjudicationNotes',
          event.adjudicationNotes,
        ),
        reportReferenceCiphertext: this.secrets.seal(id, 'reportReference', event.reportReference),
        createdAt: now,
        updatedAt: now,
      });
      this.record(tx, client, id, at, null, event.status);
      return { checkId: id, status: event.status, changed: true, created: true, fromStatus: null };
    }
    const from = check.status;
    const unchanged = { checkId: check.id, status: from, changed: false, created: false };
    const latest = await this.checks.lastProviderEventAt(tx, check.id);
    if (latest && at < latest) return { ...unchanged, fromStatus: from };
    const changes: Partial<BackgroundCheck> = {};
    // A waiver is HR's decision; a provider's later news is kept but does not undo it.
    const to = from === BackgroundCheckStatus.Waived ? from : event.status;
    if (to !== from) changes.status = to;
    for (const [field, date] of Object.entries(stamp(to, at))) {
      if (!check[field as StampField]) changes[field as StampField] = date;
    }
    if (check.jurisdiction !== event.jurisdiction) changes.jurisdiction = event.jurisdiction;
    if (!check.providerReference) {
      Object.assign(changes, {
        providerName: event.providerName,
        providerReference: event.providerReference,
      });
    }
    this.sealIfChanged(check, 'adjudicationNotes', event.adjudicationNotes, changes);
    this.sealIfChanged(check, 'reportReference', event.reportReference, changes);
    if (Object.keys(changes).length === 0) return { ...unchanged, fromStatus: from };
    tx.assign(check, { ...changes, updatedAt: now });
    if (to !== from) this.record(tx, client, check.id, at, from, to);
    return { ...unchanged, status: to, changed: true, fromStatus: from };
  }

  /** The check this event is about: by the provider's reference, else the person's of that type. */
  private async findOrAttach(
    tx: EntityManager,
    person: Person,
    event: ProviderEventDto,
  ): Promise<BackgroundCheck | null> {
    const byReference = await this.checks.lockByProviderReference(
      tx,
      event.providerName,
      event.providerReference,
    );
    if (byReference) {
      if (byReference.person.id !== person.id || byReference.type !== event.type) {
        throw new ProviderReferenceConflict();
      }
      return byReference;
    }
    const byType = await this.checks.lockByPersonAndType(tx, person.id, event.type);
    // HR may have created the check before the provider knew it; another provider's is not ours.
    if (byType?.providerReference) throw new ProviderReferenceConflict();
    return byType;
  }

  private sealIfChanged(
    check: BackgroundCheck,
    field: SealedField,
    plaintext: string | undefined,
    changes: Partial<BackgroundCheck>,
  ): void {
    if (plaintext === undefined) return;
    const column =
      field === 'adjudicationNotes' ? 'adjudicationNotesCiphertext' : 'reportReferenceCiphertext';
    if (this.secrets.open(check.id, field, check[column]) === plaintext) return;
    changes[column] = this.secrets.seal(check.id, field, plaintext);
  }

  private record(
    tx: EntityManager,
    client: ApiClient,
    checkId: string,
    at: Date,
    fromStatus: BackgroundCheckStatus | null,
    toStatus: BackgroundCheckStatus,
  ): void {
    this.checks.appendEvent(tx, {
      checkId,
      at,
      actorId: client.actorId,
      fromStatus,
      toStatus,
      source: BackgroundCheckEventSource.Provider,
    });
  }
}

function stamp(status: BackgroundCheckStatus, at: Date): Partial<Record<StampField, Date>> {
  const field = STAMPS[status];
  return field ? { [field]: at } : {};
}
