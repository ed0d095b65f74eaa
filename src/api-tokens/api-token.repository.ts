import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ApiToken, type ApiTokenRole } from './api-token.entity';
import { ApiTokenNameTaken } from './api-tokens.errors';

export interface NewApiToken {
  readonly name: string;
  readonly role: ApiTokenRole;
  readonly tokenHash: string;
  readonly expiresAt: Date | null;
}

@Injectable()
export class ApiTokenRepository {
  constructor(private readonly em: EntityManager) {}

  async create(token: NewApiToken, now: Date): Promise<ApiToken> {
    const em = this.em.fork();
    const row = em.create(ApiToken, { ...token, id: randomUUID(), createdAt: now });
    try {
      await em.persist(row).flush();
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) {
        throw new ApiTokenNameTaken(token.name);
      }
      throw error;
    }
    return row;
  }

  findByHash(tokenHash: string): Promise<ApiToken | null> {
    return this.em.fork().findOne(ApiToken, { tokenHash });
  }

  list(): Promise<ApiToken[]> {
    return this.em.fork().find(ApiToken, {}, { orderBy: { name: 'asc' } });
  }

  /** Revokes a live token; false when there is no such token or it is already revoked. */
  async revoke(name: string, now: Date): Promise<boolean> {
    const count = await this.em
      .fork()
      .nativeUpdate(ApiToken, { name, revokedAt: null }, { revokedAt: now });
    return count > 0;
  }

  async touch(id: string, now: Date): Promise<void> {
    await this.em.fork().nativeUpdate(ApiToken, { id }, { lastUsedAt: now });
  }
}
