import { randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { TotpCredential } from './totp-credential.entity';
import { TotpRecoveryCode } from './totp-recovery-code.entity';

/**
 * TOTP secrets and recovery codes. Every check-and-use is a single conditional statement, so two
 * requests racing with the same code cannot both succeed.
 */
@Injectable()
export class TotpRepository {
  constructor(private readonly em: EntityManager) {}

  findCredential(personId: string): Promise<TotpCredential | null> {
    return this.em.fork().findOne(TotpCredential, { person: personId });
  }

  /**
   * Stores a new secret awaiting confirmation, replacing an earlier unconfirmed one. False when
   * the person already has a confirmed credential, which is left untouched.
   */
  async saveUnconfirmed(personId: string, secretCiphertext: string, now: Date): Promise<boolean> {
    // One upsert whose update is conditional: a check-then-write could overwrite a credential
    // confirmed between the check and the write.
    const rows = await this.em.fork().execute<{ id: string }[]>(
      `insert into totp_credential (id, person_id, secret_ciphertext, confirmed_at, last_used_step, created_at)
       values (?, ?, ?, null, null, ?)
       on conflict (person_id) do update
         set secret_ciphertext = excluded.secret_ciphertext,
             last_used_step = null,
             created_at = excluded.created_at
         where totp_credential.confirmed_at is null
       returning id`,
      [randomUUID(), personId, secretCiphertext, now],
    );
    return rows.length === 1;
  }

  /**
   * Confirms the pending credential, marking the confirming code's step as used, and stores the
   * first recovery codes, in one transaction: an enrolment never ends up without its codes.
   * False when there was nothing pending (already confirmed, or never started).
   */
  async confirm(
    personId: string,
    step: number,
    recoveryCodeHashes: readonly string[],
    now: Date,
  ): Promise<boolean> {
    return this.em.fork().transactional(async (em) => {
      const confirmed = await em.nativeUpdate(
        TotpCredential,
        { person: personId, confirmedAt: null },
        { confirmedAt: now, lastUsedStep: step },
      );
      if (confirmed !== 1) return false;
      await writeRecoveryCodes(em, personId, recoveryCodeHashes, now);
      return true;
    });
  }

  /**
   * Marks `step` as used if it is later than the last used step. False when the credential is
   * unconfirmed or the step (or a later one) was already used: a replay.
   */
  async consumeStep(personId: string, step: number): Promise<boolean> {
    const changed = await this.em.fork().nativeUpdate(
      TotpCredential,
      {
        person: personId,
        confirmedAt: { $ne: null },
        $or: [{ lastUsedStep: null }, { lastUsedStep: { $lt: step } }],
      },
      { lastUsedStep: step },
    );
    return changed === 1;
  }

  /** Replaces all of a person's recovery codes, used or not, with new ones. */
  async replaceRecoveryCodes(
    personId: string,
    hashes: readonly string[],
    now: Date,
  ): Promise<void> {
    await this.em.fork().transactional((em) => writeRecoveryCodes(em, personId, hashes, now));
  }

  /** The person's unused codes (ten at most), to compare a typed code against. */
  async unusedRecoveryCodes(personId: string): Promise<{ id: string; codeHash: string }[]> {
    const rows = await this.em
      .fork()
      .find(TotpRecoveryCode, { person: personId, usedAt: null }, { fields: ['id', 'codeHash'] });
    return rows.map((row) => ({ id: row.id, codeHash: row.codeHash }));
  }

  /** Marks the code used if it is still unused. False otherwise, including a replay. */
  async consumeRecoveryCode(codeId: string, now: Date): Promise<boolean> {
    const changed = await this.em
      .fork()
      .nativeUpdate(TotpRecoveryCode, { id: codeId, usedAt: null }, { usedAt: now });
    return changed > 0;
  }

  countUnusedRecoveryCodes(personId: string): Promise<number> {
    return this.em.fork().count(TotpRecoveryCode, { person: personId, usedAt: null });
  }
}

async function writeRecoveryCodes(
  em: EntityManager,
  personId: string,
  hashes: readonly string[],
  now: Date,
): Promise<void> {
  await em.nativeDelete(TotpRecoveryCode, { person: personId });
  if (hashes.length === 0) return;
  await em.insertMany(
    TotpRecoveryCode,
    hashes.map((codeHash) => ({ id: randomUUID(), person: personId, codeHash, createdAt: now })),
  );
}
