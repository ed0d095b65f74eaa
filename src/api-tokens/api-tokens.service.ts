import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type ApiClient, ApiTokenAuthenticator } from '../access/api-token.guard';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { type ApiToken, ApiTokenRole } from './api-token.entity';
import { ApiTokenRepository } from './api-token.repository';
import { ApiTokenInputInvalid, ApiTokenNotFound } from './api-tokens.errors';

/** Only write last-used once a minute: every API call need not be a database write. */
const TOUCH_INTERVAL_MS = 60_000;
/**
 * At most 48 characters: the audit log records the token as `<role>:<name>` in a 64-character
 * actor column, and `integration:` is the longest role prefix.
 */
const NAME = /^[a-z0-9][a-z0-9._-]{0,47}$/;
const MAX_DAYS = 3650;

export interface ApiTokenView {
  readonly name: string;
  readonly role: ApiTokenRole;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  readonly lastUsedAt: string | null;
}

export interface CreateApiTokenInput {
  readonly name: string;
  readonly role: string;
  /** `90d`: days from now. Without it the token lives until revoked. */
  readonly expires?: string;
}

/** SHA-256 suffices (no slow hash): the secret is 256 random bits, not a guessable password. */
export function hashApiToken(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Bearer tokens for machines: issued and revoked with `attest token`, checked on /api/v1. */
@Injectable()
export class ApiTokensService extends ApiTokenAuthenticator {
  constructor(
    private readonly tokens: ApiTokenRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {
    super();
  }

  /** Issues a token; the returned secret is the only copy there will ever be. */
  async create(
    actorId: string,
    input: CreateApiTokenInput,
  ): Promise<{ secret: string; token: ApiTokenView }> {
    const name = input.name.trim().toLowerCase();
    if (!NAME.test(name)) {
      throw new ApiTokenInputInvalid(
        'Name the token with letters, digits, dots, dashes or underscores (at most 48), e.g. "acme-screening".',
      );
    }
    const role = Object.values(ApiTokenRole).find((r) => r === input.role);
    if (!role) {
      throw new ApiTokenInputInvalid(
        `--role must be one of: ${Object.values(ApiTokenRole).join(', ')}.`,
      );
    }
    const now = this.clock.now();
    const expiresAt = input.expires === undefined ? null : expiryFrom(input.expires, now);
    const secret = `att_${randomBytes(32).toString('base64url')}`;
    const row = await this.tokens.create(
      { name, role, tokenHash: hashApiToken(secret), expiresAt },
      now,
    );
    await this.audit.record({
      action: 'apiToken.created',
      actorId,
      subjectType: 'apiToken',
      subjectId: row.id,
      details: { name, role, expiresAt: expiresAt?.toISOString() ?? null },
    });
    return { secret, token: toView(row) };
  }

  async revoke(actorId: string, name: string): Promise<void> {
    const normalised = name.trim().toLowerCase();
    if (!(await this.tokens.revoke(normalised, this.clock.now()))) {
      throw new ApiTokenNotFound(normalised);
    }
    await this.audit.record({
      action: 'apiToken.revoked',
      actorId,
      subjectType: 'apiToken',
      details: { name: normalised },
    });
  }

  async list(): Promise<ApiTokenView[]> {
    return (await this.tokens.list()).map(toView);
  }

  async authenticate(secret: string): Promise<ApiClient | undefined> {
    const token = await this.tokens.findByHash(hashApiToken(secret));
    const now = this.clock.now();
    if (!token || token.revokedAt || (token.expiresAt && token.expiresAt <= now)) {
      return undefined;
    }
    if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
      await this.tokens.touch(token.id, now);
    }
    return {
      tokenId: token.id,
      name: token.name,
      role: token.role,
      actorId: `${token.role}:${token.name}`,
    };
  }
}

function expiryFrom(expires: string, now: Date): Date {
  const days = /^(\d{1,4})d$/.exec(expires.trim())?.[1];
  if (!days || Number(days) < 1 || Number(days) > MAX_DAYS) {
    throw new ApiTokenInputInvalid(
      `--expires takes a number of days, 1d to ${MAX_DAYS}d, e.g. 90d.`,
    );
  }
  return new Date(now.getTime() + Number(days) * 86_400_000);
}

function toView(token: ApiToken): ApiTokenView {
  return {
    name: token.name,
    role: token.role,
    createdAt: token.createdAt.toISOString(),
    expiresAt: token.expiresAt?.toISOString() ?? null,
    revokedAt: token.revokedAt?.toISOString() ?? null,
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
  };
}
