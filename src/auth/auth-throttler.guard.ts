import { type ExecutionContext, Injectable } from '@nestjs/common';
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
    return name === IP_THROTTLER ? `${name}:${tracker}` : super.generateKey(context, tracker, name);
  }

  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const req = context.switchToHttp().getRequest<Request & AttestRequest>();
    const res = context.switchToHttp().getResponse<Response>();
    res.setHeader('Retry-After', String(Math.max(1, Math.ceil(detail.timeToBlockExpire))));
    await this.audit.record({
      action: 'auth.rate_limited',
      actorId: req.principal?.personId ?? null,
      details: { path: req.path },
    });
    throw new ThrottlerException('Too many attempts. Wait a minute and try again.');
  }
}
