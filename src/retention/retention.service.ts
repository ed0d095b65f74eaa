import { IsolationLevel } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { AuditEventRepository } from '../audit/audit-event.repository';
import { AUDIT_PURGE_ACTION } from '../audit/audit-purge';
import { Clock } from '../common/clock';
import { OperatorError } from '../common/errors/operator.error';
import { RETENTION_PURGE_SETTING } from '../database/append-only.trigger';
import { planRules, type PlannedRule } from './retention-planner';
import { RETENTION_POLICY, type RetentionKind, type RetentionPolicy } from './retention-policy';
import { RetentionPurgers } from './retention-purgers';
import { RetentionRecordsRepository } from './retention-records.repository';

/** One rule's line of a plan or a run. */
export interface RetentionLine {
  readonly kind: RetentionKind;
  /** `5 years after completion, US`. */
  readonly rule: string;
  /** Plan: what has run out and would be purged. Apply: what was purged. */
  readonly count: number;
  /** Run out, but kept by a legal hold on their person. */
  readonly held: number;
}

export interface RetentionPlan {
  readonly at: Date;
  readonly lines: readonly RetentionLine[];
}

export interface ApplyOptions {
  /** Records per batch; each batch is one transaction with one audit event. */
  readonly batchSize?: number;
  /** Who asked: `cli` or `daily job`, recorded in each purge event. */
  readonly trigger: string;
  /** After each batch: the rule, and how many it has purged so far. */
  readonly onProgress?: (line: RetentionLine, purgedSoFar: number) => void;
  /** Stops between batches (shutdown). */
  readonly signal?: AbortSignal;
}

export const DEFAULT_BATCH_SIZE = 500;

/** Only one retention run purges at a time, across every instance ("RTNT"). */
const RETENTION_LOCK = 0x52544e54;

/** Another instance or command is purging right now. */
export class RetentionBusy extends OperatorError {
  constructor() {
    super('Another retention run is purging right now. Try again when it has finished.');
    this.name = 'RetentionBusy';
  }
}

/**
 * Applies policies/retention.yml: `plan` counts what has run out, rule by rule, changing
 * nothing; `apply` purges it in batches. Each batch is one transaction that turns on the
 * retention setting (the only way past the append-only triggers), purges, and appends a
 * `retention.purged` audit event with the kind, the count and the rule, never the content. A
 * run that stops part way is resumed by the next: what is left is chosen by its state.
 */
@Injectable()
export class RetentionService {
  constructor(
    private readonly em: EntityManager,
    @Inject(RETENTION_POLICY) private readonly policy: RetentionPolicy,
    private readonly records: RetentionRecordsRepository,
    private readonly purgers: RetentionPurgers,
    private readonly audit: AuditEventRepository,
    private readonly clock: Clock,
  ) {}

  /** What would be purged now, by rule, and what legal holds keep. Changes nothing. */
  async plan(): Promise<RetentionPlan> {
    const at = this.clock.now();
    const rules = planRules(this.policy, at);
    const lines = await this.em.fork().transactional(
      async (tx) => {
        const counted: RetentionLine[] = [];
        for (const rule of rules) {
          const { due, held } = await this.records.count(tx, rule);
          counted.push({ kind: rule.kind, rule: rule.label, count: due, held });
        }
        return counted;
      },
      { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true },
    );
    return { at, lines };
  }

  /** Purges what has run out, rule by rule, in batches; returns what each rule purged. */
  async apply(options: ApplyOptions): Promise<RetentionPlan> {
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    const at = this.clock.now();
    const lines: RetentionLine[] = [];
    for (const rule of planRules(this.policy, at)) {
      let purged = 0;
      for (;;) {
        if (options.signal?.aborted) break;
        const batch = await this.purgeBatch(rule, batchSize, options.trigger);
        purged += batch.count;
        // Nothing selected: the rule is done. Selected but nothing purged (the records changed
        // meanwhile): stop rather than select the same ones again.
        if (batch.selected === 0 || batch.count === 0) break;
        options.onProgress?.(this.lineOf(rule, purged, 0), purged);
        if (batch.selected < batchSize) break;
      }
      const { held } = await this.records.count(this.em.fork(), rule);
      lines.push(this.lineOf(rule, purged, held));
    }
    return { at, lines };
  }

  private lineOf(rule: PlannedRule, count: number, held: number): RetentionLine {
    return { kind: rule.kind, rule: rule.label, count, held };
  }

  private async purgeBatch(
    rule: PlannedRule,
    limit: number,
    trigger: string,
  ): Promise<{ selected: number; count: number }> {
    const batch = await this.em.fork().transactional(async (tx) => {
      const [lock] = await tx.execute<{ locked: boolean }[]>(
        'select pg_try_advisory_xact_lock(?) as locked',
        [RETENTION_LOCK],
      );
      if (!lock?.locked) throw new RetentionBusy();
      // Holds being placed commit before the batch is chosen, and none can commit until it
      // ends: a hold is never missed by a batch already under way. Batches are short.
      await tx.execute('lock table legal_hold in share mode');
      const ids = await this.records.nextBatch(tx, rule, limit);
      if (ids.length === 0) return { ids, selected: 0, count: 0 };
      // Transaction-local: it ends with this transaction, and only this code sets it.
      await tx.execute('select set_config(?, ?, true)', [RETENTION_PURGE_SETTING, 'on']);
      const now = this.clock.now();
      const outcome = await this.purgers.purge(tx, rule.kind, ids, now);
      if (outcome.count > 0) {
        await this.audit.appendIn(
          tx,
          {
            action: AUDIT_PURGE_ACTION,
            actorId: 'system',
            details: {
              kind: rule.kind,
              count: outcome.count,
              rule: rule.label,
              trigger,
              ...outcome.details,
            },
          },
          now,
        );
      }
      return { ids, selected: ids.length, count: outcome.count };
    });
    // Export ZIPs go once their jobs are recorded expired (retention-purgers.ts): the storage
    // writes through a connection of its own, which the embedded database cannot give while
    // the batch's transaction holds its one connection.
    if (RetentionPurgers.OUTSIDE_TRANSACTION.has(rule.kind) && batch.ids.length > 0) {
      await this.purgers.removeOutside(rule.kind, batch.ids);
    }
    return { selected: batch.selected, count: batch.count };
  }
}
