import type { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { Principal } from '../access/principal';
import { mayDecideAbout } from '../access/separation-of-duties.policy';
import { AuditService } from '../audit/audit.service';
import { calendarDayOf } from '../common/calendar-day';
import { Clock } from '../common/clock';
import { AssignmentStatus, deriveAssignments, type WaiverFact } from './assignment-deriver';
import { DocumentPublicationsReader } from './document-publications.reader';
import {
  type PersonAssignment,
  RequirementAssignmentRepository,
  type ReplaceCounts,
} from './requirement-assignment.repository';
import type { CompletionSource } from './requirement-completion.entity';
import { RequirementCompletionRepository } from './requirement-completion.repository';
import { RequirementInputsRepository, type WaivedCheck } from './requirement-inputs.repository';
import { RequirementRules } from './requirement-rules';
import { type RequirementStanding, standingsOf } from './requirement-standing';
import { RequirementKind, type RequirementRule } from './requirement-rule';
import { WAIVER_REASON_MAX_LENGTH } from './requirement-waiver.entity';
import { RequirementWaiverRepository } from './requirement-waiver.repository';
import {
  RequirementNotFound,
  SelfWaiverRefused,
  WaiverCycleInvalid,
  WaiverReasonInvalid,
} from './requirements.errors';

/**
 * A background check HR waived excuses the first cycle of every rule asking for that screening,
 * with the check's waiver reason: the requirement follows its check record.
 */
function checkWaivers(
  rules: readonly RequirementRule[],
  checks: readonly WaivedCheck[],
): WaiverFact[] {
  return checks.flatMap((check) =>
    rules
      .filter((r) => r.kind === RequirementKind.BackgroundCheck && r.subject === check.subject)
      .map((r) => ({
        requirementId: r.id,
        cycle: 0,
        waivedAt: check.waivedAt,
        waivedBy: check.waivedBy,
        reason: check.reason,
      })),
  );
}

/** Whoever records or waives: a signed-in person, or a module acting for the system. */
export type RequirementsActor = Pick<Principal, 'personId'>;

export interface CompletionInput {
  readonly completedAt?: Date;
  readonly subjectVersion?: string | null;
  readonly source: CompletionSource;
  readonly reference?: string | null;
}

/** Large enough to amortise the round trips, small enough to keep each transaction short. */
export const DERIVATION_BATCH_SIZE = 1000;

const OPEN = new Set<string>([
  AssignmentStatus.NotStarted,
  AssignmentStatus.InProgress,
  AssignmentStatus.Overdue,
]);

/** One assignment as it stands today. */
export interface AssignmentStanding {
  readonly requirementId: string;
  readonly kind: string;
  readonly subject: string;
  readonly cycle: number;
  readonly dueDate: string;
  readonly status: AssignmentStatus;
  readonly completedAt: Date | undefined;
}

@Injectable()
export class RequirementsService {
  constructor(
    private readonly rules: RequirementRules,
    private readonly inputs: RequirementInputsRepository,
    private readonly assignments: RequirementAssignmentRepository,
    private readonly completions: RequirementCompletionRepository,
    private readonly waivers: RequirementWaiverRepository,
    private readonly publications: DocumentPublicationsReader,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * A person's assignments as they stand today: a stored open assignment whose due date has
   * passed since it was derived reads as overdue.
   */
  async assignmentsFor(personId: string): Promise<AssignmentStanding[]> {
    const today = calendarDayOf(this.clock.now());
    const rows = await this.assignments.listForPerson(personId);
    return rows.map((row) => {
      const open =
        row.status === AssignmentStatus.NotStarted || row.status === AssignmentStatus.InProgress;
      return {
        requirementId: row.requirementId,
        kind: row.kind,
        subject: row.subject,
        cycle: row.cycle,
        dueDate: row.dueDate,
        status: open && row.dueDate < today ? AssignmentStatus.Overdue : row.status,
        completedAt: row.completedAt ?? undefined,
      };
    });
  }

  /**
   * Where each of a person's requirements stands today: one row per requirement, current cycle
   * only. Every page, CSV, API answer and PDF about a person reads this, so they agree.
   */
  async standingsFor(personId: string): Promise<RequirementStanding[]> {
    const today = calendarDayOf(this.clock.now());
    return standingsOf(await this.assignmentsFor(personId), today);
  }

  /** Today, as the standings see it: for set-based reports that must agree with them. */
  today(): string {
    return calendarDayOf(this.clock.now());
  }

  /**
   * Recomputes the assignments of the given people, or of everyone, from the rules and the
   * recorded completions and waivers. Idempotent: a second run reports everything unchanged.
   */
  async derive(personIds?: readonly string[]): Promise<ReplaceCounts> {
    const now = this.clock.now();
    const publications = await this.publications.all();
    const totals = { inserted: 0, updated: 0, deleted: 0, unchanged: 0 };
    for await (const batch of this.batches(personIds)) {
      const counts = await this.assignments.transactional((tx) =>
        this.deriveBatch(tx, batch, publications, now),
      );
      totals.inserted += counts.inserted;
      totals.updated += counts.updated;
      totals.deleted += counts.deleted;
      totals.unchanged += counts.unchanged;
    }
    return totals;
  }

  /**
   * Re-derives a few people inside the caller's transaction, so that their assignments commit
   * with whatever changed them (a completion), or not at all.
   */
  async deriveIn(tx: EntityManager, personIds: readonly string[]): Promise<ReplaceCounts> {
    return this.deriveBatch(tx, personIds, await this.publications.all(tx), this.clock.now());
  }

  private async deriveBatch(
    tx: EntityManager,
    batch: readonly string[],
    publications: Awaited<ReturnType<DocumentPublicationsReader['all']>>,
    now: Date,
  ): Promise<ReplaceCounts> {
    const today = calendarDayOf(now);
    const rules = this.rules.all();
    const inputs = await this.inputs.loadFor(tx, batch);
    const { people, completions, waivers, started, waivedChecks } = inputs;
    const rows: PersonAssignment[] = people.flatMap((person) =>
      deriveAssignments({
        rules,
        person,
        today,
        completions: completions.get(person.id) ?? [],
        waivers: [
          ...(waivers.get(person.id) ?? []),
          ...checkWaivers(rules, waivedChecks.get(person.id) ?? []),
        ],
        started: started.get(person.id) ?? [],
        publications,
      }).map((assignment) => ({ ...assignment, personId: person.id })),
    );
    const leaving = rules.filter((r) => r.dueDaysAfterEnd !== undefined).map((r) => r.id);
    return this.assignments.replaceAssignmentsFor(tx, batch, rows, now, leaving);
  }

  /** Records that a person met a requirement, then re-derives that person. Returns its id. */
  async recordCompletion(
    actor: RequirementsActor,
    personId: string,
    requirementId: string,
    input: CompletionInput,
  ): Promise<string> {
    const rule = await this.requireRule(personId, requirementId);
    const now = this.clock.now();
    const completionId = await this.completions.append(
      {
        personId,
        requirementId,
        kind: rule.kind,
        subject: rule.subject,
        subjectVersion: input.subjectVersion ?? null,
        completedAt: input.completedAt ?? now,
        source: input.source,
        reference: input.reference ?? null,
      },
      now,
    );
    await this.audit.record({
      action: 'requirement.completed',
      actorId: actor.personId,
      subjectType: 'person',
      subjectId: personId,
      details: { requirementId, completionId, source: input.source },
    });
    await this.derive([personId]);
    return completionId;
  }

  /**
   * The rule a completion of this kind and subject is recorded against for this person: the one
   * they are assigned, else any rule asking for it. None when nothing asks for it: the evidence
   * still stands, nothing was due.
   */
  async ruleFor(
    personId: string,
    kind: RequirementKind,
    subject: string,
  ): Promise<RequirementRule | undefined> {
    const assigned = await this.assignments.requirementFor(personId, kind, subject);
    return (
      (assigned !== null ? this.rules.byId(assigned) : undefined) ??
      this.rules.all().find((r) => r.kind === kind && r.subject === subject)
    );
  }

  /**
   * Adds a completion to the caller's transaction, so that it commits with the evidence it
   * points at. Re-derive the person after the commit.
   */
  async completeIn(
    em: EntityManager,
    personId: string,
    rule: RequirementRule,
    done: {
      subjectVersion: string | null;
      completedAt: Date;
      source: CompletionSource;
      reference: string;
    },
  ): Promise<void> {
    await this.completions.appendIn(
      em,
      {
        personId,
        requirementId: rule.id,
        kind: rule.kind,
        subject: rule.subject,
        ...done,
      },
      this.clock.now(),
    );
  }

  /**
   * Excuses a person from one open cycle of a requirement. The reason is kept for auditors; the
   * audit event carries ids only.
   */
  async waive(
    actor: RequirementsActor,
    personId: string,
    requirementId: string,
    cycle: number,
    reason: string,
  ): Promise<string> {
    const trimmed = reason.trim();
    if (trimmed.length === 0 || trimmed.length > WAIVER_REASON_MAX_LENGTH) {
      throw new WaiverReasonInvalid();
    }
    await this.requireRule(personId, requirementId);
    // Segregation of duties (ISO/IEC 27001:2022 A.5.3): nobody excuses themselves.
    if (!mayDecideAbout(actor, personId)) throw new SelfWaiverRefused();
    await this.derive([personId]);
    const current = await this.assignments.findOne(personId, requirementId, cycle);
    if (!current || !OPEN.has(current.status)) throw new WaiverCycleInvalid();
    const waiver = await this.waivers.append(
      { personId, requirementId, cycle, waivedBy: actor.personId, reason: trimmed },
      this.clock.now(),
    );
    await this.audit.record({
      action: 'requirement.waived',
      actorId: actor.personId,
      subjectType: 'person',
      subjectId: personId,
      details: { requirementId, cycle, waiverId: waiver.id },
    });
    await this.derive([personId]);
    return waiver.id;
  }

  private async requireRule(personId: string, requirementId: string): Promise<RequirementRule> {
    const rule = this.rules.byId(requirementId);
    if (!rule || !(await this.inputs.personExists(personId))) throw new RequirementNotFound();
    return rule;
  }

  private async *batches(personIds?: readonly string[]): AsyncGenerator<string[]> {
    if (personIds) {
      const unique = [...new Set(personIds)].sort();
      for (let i = 0; i < unique.length; i += DERIVATION_BATCH_SIZE) {
        yield unique.slice(i, i + DERIVATION_BATCH_SIZE);
      }
      return;
    }
    let after: string | null = null;
    for (;;) {
      const page = await this.inputs.personIdsAfter(after, DERIVATION_BATCH_SIZE);
      if (page.length === 0) return;
      yield page;
      after = page[page.length - 1];
    }
  }
}
