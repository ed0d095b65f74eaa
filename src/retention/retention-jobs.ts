import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type PgBoss from 'pg-boss';
import { ensureQueues, startPgBoss } from '../database/pg-boss-queues';
import { RetentionBusy, type RetentionPlan, RetentionService } from './retention.service';

export const RETENTION_QUEUE = 'attest-retention-apply';

/** Once a day, at 03:17 UTC: a quiet hour, off the hour when other cron jobs pile up. */
const DAILY_CRON = '17 3 * * *';
const DAY_MS = 24 * 60 * 60_000;
/** The embedded database's first run: soon after start, but not in the way of start-up. */
const FIRST_RUN_MS = 10 * 60_000;

/**
 * Applies the retention policy once a day in the background. As for notifications: pg-boss on
 * a PostgreSQL server (a cron schedule, each run taken by one instance) and a timer in this
 * process on the embedded database. Either way each batch takes the retention advisory lock,
 * so two instances, or the job and `attest retention apply`, never purge at once.
 */
export abstract class RetentionJobs {}

/** RETENTION=off, and tests: purges run from the CLI or a test. */
@Injectable()
export class NoRetentionJobs extends RetentionJobs {}

function logRun(logger: Logger, run: RetentionPlan): void {
  const purged = run.lines.reduce((sum, line) => sum + line.count, 0);
  const held = run.lines.reduce((sum, line) => sum + line.held, 0);
  logger.log({ msg: 'retention applied', purged, held });
}

async function applyDaily(
  retention: RetentionService,
  logger: Logger,
  signal: AbortSignal,
): Promise<void> {
  try {
    logRun(logger, await retention.apply({ trigger: 'daily job', signal }));
  } catch (error) {
    if (error instanceof RetentionBusy)
      logger.log({ msg: 'retention skipped: another run holds the lock' });
    else throw error;
  }
}

@Injectable()
export class PgBossRetentionJobs
  extends RetentionJobs
  implements OnApplicationBootstrap, OnModuleDestroy
{
  private readonly logger = new Logger(PgBossRetentionJobs.name);
  private readonly shutdown = new AbortController();
  private boss: PgBoss | undefined;

  constructor(
    private readonly retention: RetentionService,
    private readonly connectionString: string,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    const boss = await startPgBoss(
      { connectionString: this.connectionString, applicationName: 'attest-retention', max: 1 },
      this.logger,
    );
    this.boss = boss;
    // A failed run is not retried: tomorrow's resumes where it stopped.
    await ensureQueues(boss, [
      { name: RETENTION_QUEUE, retryLimit: 0, expireInSeconds: 6 * 60 * 60 },
    ]);
    await boss.schedule(RETENTION_QUEUE, DAILY_CRON, {}, { tz: 'UTC' });
    await boss.work(RETENTION_QUEUE, { batchSize: 1, pollingIntervalSeconds: 60 }, () =>
      applyDaily(this.retention, this.logger, this.shutdown.signal),
    );
  }

  async onModuleDestroy(): Promise<void> {
    this.shutdown.abort();
    await this.boss?.stop({ graceful: true, wait: true, timeout: 15_000 });
  }
}

@Injectable()
export class InProcessRetentionJobs
  extends RetentionJobs
  implements OnApplicationBootstrap, OnModuleDestroy
{
  private readonly logger = new Logger(InProcessRetentionJobs.name);
  private readonly shutdown = new AbortController();
  private readonly timers: NodeJS.Timeout[] = [];
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly retention: RetentionService) {
    super();
  }

  onApplicationBootstrap(): void {
    const run = () => {
      this.running = this.running
        .then(() =>
          this.shutdown.signal.aborted
            ? undefined
            : applyDaily(this.retention, this.logger, this.shutdown.signal),
        )
        .catch((error: unknown) => this.logger.error({ err: error, msg: 'retention job failed' }));
    };
    const first = setTimeout(run, FIRST_RUN_MS);
    const daily = setInterval(run, DAY_MS);
    for (const timer of [first, daily]) {
      timer.unref();
      this.timers.push(timer);
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.shutdown.abort();
    for (const timer of this.timers) clearTimeout(timer);
    await this.running;
  }
}
