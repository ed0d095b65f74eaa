import { defineEntity, p } from '@mikro-orm/core';

export const RateLimitCounterSchema = defineEntity({
  name: 'RateLimitCounter',
  tableName: 'rate_limit_counter',
  // One row per budget (a client address on the sign-in routes, a person on TOTP, an IdP
  // identity at the ACS): every instance behind the load balancer counts in the same row, so a
  // limit holds for the installation, not for each process. Rows whose window and block have
  // both ended are swept.
  indexes: [{ name: 'rate_limit_counter_window_ends_at_index', properties: ['windowEndsAt'] }],
  properties: {
    key: p.string().length(128).primary(),
    throttler: p.string().length(40).primary(),
    hits: p.integer(),
    windowEndsAt: p.datetime(),
    blockedUntil: p.datetime().nullable(),
  },
});

/** Hits in the current fixed window of one rate-limit budget, shared by every instance. */
export class RateLimitCounter extends RateLimitCounterSchema.class {}
RateLimitCounterSchema.setClass(RateLimitCounter);
