import { type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerException,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { Request, Response } from 'express';
import type { AttestRequest } from '../access/principal';
import { AuditService } from '../audit/audit.service';

/** Named throttlers: per client address (AUTH_RATE_LIMIT) and per signed-in person. */
export const IP_THROTTLER = 'default';
export const PERSON_THROTTLER = 'person';
export const PERSON_LIMIT_PER_MINUTE = 10;

/** Refused attempts are audited once per client per this window, not once per request. */
export const RATE_LIMIT_AUDIT_WINDOW_MS = 60 * 60_000;

const BUCKET = 'attest:rate-limit-bucket';

/**
 * Puts a route's per-client budget apart from the sign-in budget, e.g. public verification
 * uploads: using one never spends the other. Give it its limit with `@Throttle`.
 */
export const RateLimitBucket = (name: string) => SetMetadata(BUCKET, name);

export function ipTracker(req: Record<string, unknown>): Promise<string> {
  return Promise.resolve(String((req as unknown as Request).ip ?? 'unknown'));
}

export function personTracker(req: Record<string, unknown>): Promise<string> {
  return Promise.resolve((req as AttestRequest).principal?.personId ?? 'anonymous');
}

/** Throttles sign-in routes; a refusal answers 429 with Retry-After and is audited. */
@Injectable()
export class AuthThrottlerGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly audit: AuditService,
  ) {
    super(options, storage, reflector);
  }

  /**
   * AUTH_RATE_LIMIT is one budget per client address across every sign-in route; the
   * per-person TOTP limit stays per route.
   */
  protected override generateKey(context: ExecutionContext, tracker: string, name: string): string {
    if (name !== IP_THROTTLER) return super.generateKey(context, tracker, name);
    const bucket = this.reflector.getAllAndOverride<string | undefined>(BUCKET, [
      context.getHandler(),
      context.getClass(),
    ]);
    return `${name}:${bucket ?? 'sign-in'}:${tracker}`;
  }

  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const req = context.switchToHttp().getRequest<Request & AttestRequest>();
    const res = context.switchToHttp().getResponse<Response>();
    res.setHeader('Retry-After', String(Math.max(1, Math.ceil(detail.timeToBlockExpire))));
    // A client hammering a limit must not grow the append-only log: one event per client
    // (the address the trusted proxy setting yields) per window records that it happened.
    await this.audit.recordOncePer(RATE_LIMIT_AUDIT_WINDOW_MS, {
      action: 'auth.rate_limited',
      actorId: req.principal?.personId ?? null,
      details: { path: req.path },
    });
    throw new ThrottlerException('Too many attempts. Wait a minute and try again.');
  }
}
