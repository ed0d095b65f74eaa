import type { EntityManager } from '@mikro-orm/postgresql';
import type { DataCipher } from '../common/crypto/data-cipher';
import { SEALED_COLUMNS, type SealedField, sealContext } from './background-check-secrets';

export const ROTATION_BATCH_SIZE = 500;

const FIELDS = Object.keys(SEALED_COLUMNS) as SealedField[];
const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/** A value that could not be re-encrypted, e.g. under a key nobody supplied, or tampered. */
export interface RotationFailure {
  readonly checkId: string;
  readonly field: SealedField;
  readonly problem: string;
}

export interface RotationResult {
  readonly rowsScanned: number;
  readonly valuesReencrypted: number;
  readonly failures: RotationFailure[];
}

type Row = { id: string } & Record<string, string | null>;

/**
 * Re-encrypts every sealed column of background_check under the cipher's current key, in
 * batches by id, one transaction per batch. An interrupted run loses at most one batch and
 * needs no bookkeeping: run again, and values already under the current key are skipped.
 */
export class BackgroundCheckKeyRotation {
  constructor(
    private readonly em: EntityManager,
    private readonly cipher: DataCipher,
    private readonly batchSize = ROTATION_BATCH_SIZE,
  ) {}

  async rotate(onBatch?: (result: RotationResult) => void): Promise<RotationResult> {
    let after = NIL_UUID;
    const total = { rowsScanned: 0, valuesReencrypted: 0, failures: [] as RotationFailure[] };
    for (;;) {
      const batch = await this.em.fork().transactional((tx) => this.rotateBatch(tx, after));
      if (batch.lastId === undefined) return total;
      after = batch.lastId;
      total.rowsScanned += batch.rowsScanned;
      total.valuesReencrypted += batch.valuesReencrypted;
      total.failures.push(...batch.failures);
      onBatch?.(batch);
    }
  }

  private async rotateBatch(
    tx: EntityManager,
    after: string,
  ): Promise<RotationResult & { lastId?: string }> {
    const columns = FIELDS.map((f) => SEALED_COLUMNS[f]);
    // FOR UPDATE: a concurrent edit waits rather than being overwritten with the old value.
    const rows = await tx.execute<Row[]>(
      `select id, ${columns.join(', ')} from background_check
        where id > ? order by id limit ? for update`,
      [after, this.batchSize],
    );
    let valuesReencrypted = 0;
    const failures: RotationFailure[] = [];
    for (const row of rows) {
      const updates: Record<string, string> = {};
      for (const field of FIELDS) {
        const token = row[SEALED_COLUMNS[field]];
        try {
          if (!token || !this.cipher.needsReencryption(token)) continue;
          const context = sealContext(row.id, field);
          updates[SEALED_COLUMNS[field]] = this.cipher.encrypt(
            this.cipher.decrypt(token, context),
            context,
          );
        } catch (error) {
          const problem = error instanceof Error ? error.message : String(error);
          failures.push({ checkId: row.id, field, problem });
        }
      }
      const set = Object.keys(updates);
      if (set.length === 0) continue;
      await tx.execute(
        `update background_check set ${set.map((c) => `${c} = ?`).join(', ')} where id = ?`,
        [...set.map((c) => updates[c]), row.id],
      );
      valuesReencrypted += set.length;
    }
    return { rowsScanned: rows.length, valuesReencrypted, failures, lastId: rows.at(-1)?.id };
  }
}
