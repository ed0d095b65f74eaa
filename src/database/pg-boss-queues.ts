import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@nestjs/common';
import PgBoss from 'pg-boss';

/** PostgreSQL's deadlock_detected and unique_violation: two creators of one queue met. */
const RACE_CODES = new Set(['40P01', '23505']);
const ATTEMPTS = 6;

/**
 * Creates each queue unless it exists. Instances that start together behind a load balancer
 * all create the same queues at once, and pg-boss's create_queue (an insert, then a foreign
 * key onto the queue table) can deadlock with itself: the loser waits a little, finds the queue
 * its peer made, and goes on.
 */
export async function ensureQueues(
  boss: PgBoss,
  queues: readonly (PgBoss.Queue & { name: string })[],
): Promise<void> {
  for (const queue of queues) {
    for (let attempt = 1; ; attempt++) {
      if (await boss.getQueue(queue.name)) break;
      try {
        await boss.createQueue(queue.name, queue);
        break;
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (attempt >= ATTEMPTS || !code || !RACE_CODES.has(code)) throw error;
        await sleep(attempt * (50 + Math.random() * 200));
      }
    }
  }
}

/**
 * Starts a pg-boss client for one kind of background work (exports, notifications, retention),
 * on a small pool of its own, logging its errors without their messages: pg errors can quote
 * the data they failed on.
 */
export async function startPgBoss(
  options: { connectionString: string; applicationName: string; max: number; schedule?: boolean },
  logger: Logger,
): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: options.connectionString,
    max: options.max,
    application_name: options.applicationName,
    ...(options.schedule === false ? { schedule: false } : {}),
  });
  boss.on('error', (error) => logger.error({ err: error, msg: 'pg-boss error' }));
  await boss.start();
  return boss;
}
