import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { SamlAssertionUse, SamlRequest } from './saml-request.entity';

/** Pending AuthnRequests and used assertions: the two halves of replay protection. */
@Injectable()
export class SamlReplayRepository {
  constructor(private readonly em: EntityManager) {}

  async savePendingRequest(request: {
    id: string;
    browserBindingHash: string;
    returnTo: string;
    createdAt: Date;
    expiresAt: Date;
  }): Promise<void> {
    const em = this.em.fork();
    em.create(SamlRequest, request);
    await em.flush();
  }

  /**
   * Atomically takes the pending request this browser started. Of two identical responses
   * posted at once, exactly one gets the row; the other gets undefined.
   */
  async consumePendingRequest(
    id: string,
    browserBindingHash: string,
    now: Date,
  ): Promise<{ returnTo: string } | undefined> {
    const rows = await this.em
      .fork()
      .execute<{ return_to: string }[]>(
        'delete from saml_request where id = ? and browser_binding_hash = ? and expires_at > ? returning return_to',
        [id, browserBindingHash, now],
      );
    return rows[0] ? { returnTo: rows[0].return_to } : undefined;
  }

  /** Records an assertion's first use; false when it was used before (a replay). */
  async recordAssertionUse(assertionId: string, expiresAt: Date, now: Date): Promise<boolean> {
    const em = this.em.fork();
    try {
      await em.insert(SamlAssertionUse, { assertionId, expiresAt, usedAt: now });
      return true;
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) return false;
      throw error;
    }
  }

  /** Drops rows that can no longer matter: expired requests and expired assertions. */
  async purgeExpired(now: Date): Promise<void> {
    const em = this.em.fork();
    await em.nativeDelete(SamlRequest, { expiresAt: { $lt: now } });
    await em.nativeDelete(SamlAssertionUse, { expiresAt: { $lt: now } });
  }
}
