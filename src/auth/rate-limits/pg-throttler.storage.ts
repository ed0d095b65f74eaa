import { createHash } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { sql } from 'kysely';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** Rows whose window and block ended this long ago are swept. */
const SWEEP_EVERY_MS = 10 * 60_000;

/**
 * The rate limits' counters, in PostgreSQL: every instance behind the load balancer adds to
 * the same budget, so AUTH_RATE_LIMIT and the other limits hold for the installation rather
 * than once per process. A fixed window per budget: the first hit opens it for `ttl`; a hit
 * past `limit` blocks the budget for `blockDuration`, during which nothing is counted; after
 * the block, a fresh budget, as @nestjs/throttler's own storage does. Each call is one
 * statement (an upsert that returns the new count), timed by the database's clock so that
 * instances whose clocks differ still agree.
 */
export class PgThrottlerStorage implements ThrottlerStorage {
  private lastSweep = 0;

  constructor(private readonly em: EntityManager) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    // The column holds 128 characters; a longer key (none today) is stored as its digest.
    if (key.length > 128) key = createHash('sha256').update(key).digest('hex');
    const db = this.em.getKysely();
    const window = `${ttl} milliseconds`;
    const block = `${blockDuration} milliseconds`;
    const { rows } = await sql<{ hits: number; expires_ms: number; blocked_ms: number }>`
      insert into rate_limit_counter as c (key, throttler, hits, window_ends_at, blocked_until)
      values (${key}, ${throttlerName}, 1, now() + ${window}::interval,
              case when 1 > ${limit}::int then now() + ${block}::interval end)
      on conflict (key, throttler) do update set
        -- While blocked nothing is counted; once a block or a window has ended, a fresh budget.
        hits = case when c.blocked_until > now() then c.hits
                    when c.window_ends_at <= now() or c.blocked_until <= now() then 1
                    else c.hits + 1 end,
        window_ends_at = case when c.blocked_until > now() then c.window_ends_at
                              when c.window_ends_at <= now() or c.blocked_until <= now()
                                then now() + ${window}::interval
                              else c.window_ends_at end,
        blocked_until = case
          when c.blocked_until > now() then c.blocked_until
          when c.window_ends_at > now() and c.blocked_until is null and c.hits + 1 > ${limit}::int
            then now() + ${block}::interval
        end
      returning hits,
        ceil(extract(epoch from (window_ends_at - now())) * 1000)::int as expires_ms,
        coalesce(ceil(extract(epoch from (blocked_until - now())) * 1000), 0)::int as blocked_ms`.execute(
      db,
    );
    void this.sweepNowAndThen();
    const row = rows[0];
    const blocked = row.blocked_ms > 0;
    return {
      totalHits: row.hits,
      timeToExpire: Math.max(0, Math.ceil(row.expires_ms / 1000)),
      isBlocked: blocked,
      timeToBlockExpire: blocked ? Math.ceil(row.blocked_ms / 1000) : 0,
    };
  }

  /** Deletes budgets nobody has used for a while; at most once per sweep period per process. */
  private async sweepNowAndThen(): Promise<void> {
    const now = Date.now();
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    try {
      await sql`
        delete from rate_limit_counter
         where window_ends_at < now() and (blocked_until is null or blocked_until < now())`.execute(
        this.em.getKysely(),
      );
    } catch {
      // A missed sweep only leaves rows for the next one.
    }
  }
}
