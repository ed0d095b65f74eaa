import type { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { AuditEventRepository } from '../audit/audit-event.repository';
import { expectedHashOf } from '../audit/stored-audit-event';
import { AUDIT_PAYLOADS_KIND, keptFieldsDigest, toRanges } from '../audit/audit-purge';
import { OperatorError } from '../common/errors/operator.error';
import { ExportStorage } from '../exports/export-storage';
import { jsonList } from './retention-records.repository';
import { RetentionKind } from './retention-policy';

/** What a batch purged, for its audit event: never the purged content itself. */
export interface PurgeOutcome {
  readonly count: number;
  /** More to record, such as the audit seqs a payload purge cleared. */
  readonly details?: Record<string, unknown>;
}

/** An audit event no longer matches its hash: a purge would hide the edit, so nothing is purged. */
export class AuditEventTampered extends OperatorError {
  constructor(seq: string) {
    super(
      `Retention stopped: audit event seq ${seq} no longer matches its hash, and purging its payload would hide that. Run \`attest audit verify\` and investigate before purging.`,
    );
    this.name = 'AuditEventTampered';
  }
}

const IDS = '(select jsonb_array_elements_text(?::jsonb))';

/**
 * Purges one batch of one kind, given ids that have run out and are not held. Runs in the
 * batch's transaction, after the retention setting that the append-only triggers check is on.
 * Each purge removes a whole record, or exactly the part the policy names: never half of one.
 */
@Injectable()
export class RetentionPurgers {
  constructor(
    private readonly storage: ExportStorage,
    private readonly audit: AuditEventRepository,
  ) {}

  purge(tx: EntityManager, kind: RetentionKind, ids: string[], now: Date): Promise<PurgeOutcome> {
    switch (kind) {
      case RetentionKind.Sessions:
        return this.run(tx, `delete from session where id::text in ${IDS}`, [jsonList(ids)]);
      case RetentionKind.NotificationBodies:
        // The row stays: who was reminded of what, when, and whether it went out.
        return this.run(
          tx,
          `update notification set text_body = '', html_body = '', body_purged_at = ?
            where id::text in ${IDS} and body_purged_at is null`,
          [now, jsonList(ids)],
        );
      case RetentionKind.ExportZips:
        return this.run(
          tx,
          `update export_job set status = 'expired' where id::text in ${IDS} and status = 'done'`,
          [jsonList(ids)],
        );
      case RetentionKind.TrainingAttempts:
        return this.run(tx, `delete from quiz_attempt where id::text in ${IDS}`, [jsonList(ids)]);
      case RetentionKind.BackgroundCheckDetails:
        // Encrypted under a key derived per check: deleting the ciphertext is deleting the data.
        return this.run(
          tx,
          `update background_check
              set adjudication_notes_ciphertext = null, report_reference_ciphertext = null,
                  details_purged_at = ?
            where id::text in ${IDS}`,
          [now, jsonList(ids)],
        );
      case RetentionKind.BackgroundCheckStatus:
        return this.purgeChecks(tx, ids);
      case RetentionKind.Signatures:
        return this.purgeSignatures(tx, ids);
      case RetentionKind.AuditEvents:
        return this.purgeAuditPayloads(tx, ids, now);
    }
  }

  private async run(tx: EntityManager, sql: string, params: unknown[]): Promise<PurgeOutcome> {
    const result = await tx.execute(sql, params, 'run');
    return { count: (result as { affectedRows?: number }).affectedRows ?? 0 };
  }

  /**
   * What a kind removes outside the database's transaction, after it: export ZIPs. The record
   * goes first (the job is marked expired under the retention lock), then the ZIP: a download
   * is refused from then on, and a crash between the two leaves only unreachable chunks, never
   * a job that says done without its ZIP. Export storage writes through its own connection,
   * which the embedded database's single connection cannot give while a transaction holds it.
   */
  static readonly OUTSIDE_TRANSACTION: ReadonlySet<RetentionKind> = new Set([
    RetentionKind.ExportZips,
  ]);

  async removeOutside(kind: RetentionKind, ids: readonly string[]): Promise<void> {
    if (kind !== RetentionKind.ExportZips) return;
    for (const id of ids) await this.storage.remove(id);
  }

  /** A check and its status history go together; anything it found goes with them. */
  private async purgeChecks(tx: EntityManager, ids: string[]): Promise<PurgeOutcome> {
    const events = await this.run(
      tx,
      `delete from background_check_event where check_id::text in ${IDS}`,
      [jsonList(ids)],
    );
    const checks = await this.run(tx, `delete from background_check where id::text in ${IDS}`, [
      jsonList(ids),
    ]);
    return { count: checks.count, details: { statusChanges: events.count } };
  }

  /**
   * A signature goes with everything that only exists because of it: its sealed attestation,
   * the completions that cite it, and the passing quiz attempt a training pass stands on.
   */
  private async purgeSignatures(tx: EntityManager, ids: string[]): Promise<PurgeOutcome> {
    const list = jsonList(ids);
    const attestations = await this.run(
      tx,
      `delete from attestation where signature_id::text in ${IDS}`,
      [list],
    );
    const completions = await this.run(
      tx,
      `delete from requirement_completion
        where source in ('signature', 'training') and reference in ${IDS}`,
      [list],
    );
    const attempts = await tx.execute<{ id: string }[]>(
      `select quiz_attempt_id::text as id from signature
        where id::text in ${IDS} and quiz_attempt_id is not null`,
      [list],
    );
    const signatures = await this.run(tx, `delete from signature where id::text in ${IDS}`, [list]);
    const passes = await this.run(tx, `delete from quiz_attempt where id::text in ${IDS}`, [
      jsonList(attempts.map((a) => a.id)),
    ]);
    return {
      count: signatures.count,
      details: {
        attestations: attestations.count,
        completions: completions.count,
        quizAttempts: passes.count,
      },
    };
  }

  /**
   * Clears the payload of events about people past their retention, keeping each event's hash
   * and link. Each event is checked against its hash first, and the purge event records the
   * seqs and a digest of what stays, so the chain still verifies (audit-purge.ts).
   */
  private async purgeAuditPayloads(
    tx: EntityManager,
    seqs: string[],
    now: Date,
  ): Promise<PurgeOutcome> {
    const events = await this.audit.eventsAtIn(tx, seqs);
    const fresh = events.filter((e) => e.purgedAt === null);
    const tampered = fresh.find((e) => !e.occurredAtExact || expectedHashOf(e) !== e.hash);
    if (tampered) throw new AuditEventTampered(tampered.seq);
    const cleared = await tx.execute<{ seq: string }[]>(
      `update audit_event set details = '{}'::jsonb, ip = null, user_agent = null, purged_at = ?
        where seq in (select jsonb_array_elements_text(?::jsonb)::bigint) and purged_at is null
        returning seq::text as seq`,
      [now, jsonList(fresh.map((e) => e.seq))],
    );
    const clearedSeqs = new Set(cleared.map((r) => r.seq));
    const purged = fresh.filter((e) => clearedSeqs.has(e.seq));
    return {
      count: purged.length,
      details: {
        kind: AUDIT_PAYLOADS_KIND,
        seqs: toRanges(purged.map((e) => BigInt(e.seq))),
        keptSha256: keptFieldsDigest(purged),
      },
    };
  }
}
