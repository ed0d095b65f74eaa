import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Principal } from '../access/principal';
import { mayDecideAbout } from '../access/separation-of-duties.policy';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { PersonNotFound } from '../people/people.errors';
import type { HoldFormError } from '../people/person-page.views';
import { LEGAL_HOLD_REASON_MAX_LENGTH } from './legal-hold.entity';
import { LegalHoldRepository } from './legal-hold.repository';
import { SelfHoldRefused } from './retention.errors';

export const HOLD_PLACED_ACTION = 'retention.hold_placed';
export const HOLD_LIFTED_ACTION = 'retention.hold_lifted';

export type HoldOutcome =
  { readonly done: true } | { readonly done: false; readonly error: HoldFormError };

function reasonProblem(reason: string): string | null {
  const trimmed = reason.trim();
  if (trimmed.length === 0) return 'Give the reason for the legal hold: auditors will read it.';
  if (Array.from(trimmed).length > LEGAL_HOLD_REASON_MAX_LENGTH) {
    return `Shorten the reason to at most ${LEGAL_HOLD_REASON_MAX_LENGTH} characters.`;
  }
  return null;
}

/**
 * Legal holds on people: while one is in force, no retention purge touches any of the person's
 * records (retention-records.repository.ts checks it in every purge's own transaction). HR and
 * admins place and lift them, each time with a reason; both are audited, and retention's own
 * audit events are never purged.
 */
@Injectable()
export class LegalHoldsService {
  constructor(
    private readonly holds: LegalHoldRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  place(actor: Principal, personId: string, reason: string): Promise<HoldOutcome> {
    return this.decide(actor, personId, 'place', reason);
  }

  lift(actor: Principal, personId: string, reason: string): Promise<HoldOutcome> {
    return this.decide(actor, personId, 'lift', reason);
  }

  private async decide(
    actor: Principal,
    personId: string,
    action: 'place' | 'lift',
    reason: string,
  ): Promise<HoldOutcome> {
    // Segregation of duties (ISO/IEC 27001:2022 A.5.3): nobody decides about their own record.
    if (!mayDecideAbout(actor, personId)) throw new SelfHoldRefused();
    const problem = reasonProblem(reason);
    const refuse = (message: string): HoldOutcome => ({
      done: false,
      error: { action, reason, message },
    });
    if (problem) return refuse(problem);
    const text = reason.trim();
    return this.holds.transactional(async (tx) => {
      const active = await this.holds.lockActive(tx, personId);
      if (active === undefined) throw new PersonNotFound();
      const now = this.clock.now();
      if (action === 'place') {
        if (active)
          return refuse(
            'This person is already under a legal hold. Lift it first to change its reason.',
          );
        const id = randomUUID();
        this.holds.place(tx, {
          id,
          personId,
          reason: text,
          placedBy: actor.personId,
          placedAt: now,
          liftedAt: null,
          liftedBy: null,
          liftReason: null,
        });
        await tx.flush();
        await this.audit.recordIn(tx, {
          action: HOLD_PLACED_ACTION,
          actorId: actor.personId,
          subjectType: 'person',
          subjectId: personId,
          details: { holdId: id, reason: text },
        });
        return { done: true };
      }
      if (!active)
        return refuse('This person is not under a legal hold: there is nothing to lift.');
      active.liftedAt = now;
      active.liftedBy = actor.personId;
      active.liftReason = text;
      await tx.flush();
      await this.audit.recordIn(tx, {
        action: HOLD_LIFTED_ACTION,
        actorId: actor.personId,
        subjectType: 'person',
        subjectId: personId,
        details: { holdId: active.id, reason: text },
      });
      return { done: true };
    });
  }
}
