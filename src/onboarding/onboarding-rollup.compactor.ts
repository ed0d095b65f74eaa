import { EntityManager } from '@mikro-orm/postgresql';
import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { ROLLUP_SUMS } from './onboarding-rollup.triggers';

/** Rollup tables and the columns that name a group in each. */
const GROUP_KEYS: Record<keyof typeof ROLLUP_SUMS, readonly string[]> = {
  onboarding_rollup: ['department', 'country', 'start_month'],
  onboarding_rollup_due: ['department', 'country', 'start_month', 'due_date'],
  completion_week: ['week'],
};

/** Taken with try-lock, so that two instances do not compact at the same moment for nothing. */
const COMPACTION_LOCK = 734_211;
const EVERY_MS = 60_000;
/** Delta rows folded in one pass past which the rollups are vacuumed at once. */
const VACUUM_AFTER = 10_000;

/**
 * Folds the rollups' delta rows (onboarding-rollup.triggers.ts) back to one row per group, and
 * drops groups that sum to nothing, so that the HR overview sums a few rows per group however
 * many signatures and derivations happened since. Only groups with more than one row are
 * rewritten. Safe beside writers and other compactions: a statement deletes only rows its
 * snapshot sees and re-inserts exactly their sums, so a delta committed meanwhile is kept, and
 * a row another compaction deleted first is skipped (PostgreSQL re-checks it, READ COMMITTED).
 */
@Injectable()
export class OnboardingRollupCompactor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OnboardingRollupCompactor.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(private readonly em: EntityManager) {}

  /** Once at start (an import or a seed may have left many deltas), then every minute. */
  onApplicationBootstrap(): void {
    const pass = () => {
      this.running ??= this.compact()
        .catch((error: unknown) => this.logger.warn({ err: error, msg: 'rollup compaction' }))
        .finally(() => (this.running = undefined));
    };
    pass();
    this.timer = setInterval(pass, EVERY_MS);
    this.timer.unref();
  }

  /** Resolves when no pass is running (benches measure after the start's pass). */
  async whenIdle(): Promise<void> {
    await this.running;
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /**
   * One pass over every rollup; returns how many delta rows were folded away. After a large
   * pass (a seed, an import) the tables are vacuumed: the overview would otherwise read every
   * dead row the pass left until autovacuum came by (an overview at 100,000 people took 52 ms
   * instead of 24).
   */
  async compact(): Promise<number> {
    // After this process's own pass, if one is running (the start's): else the try-lock
    // would find it held and fold nothing.
    await this.running;
    const folded = await this.foldAll();
    if (folded >= VACUUM_AFTER) {
      // Outside any transaction. Without truncating the table's empty tail, which would take
      // a lock that every signature's trigger waits for.
      await this.em
        .fork()
        .execute(`vacuum (analyze, truncate false) ${Object.keys(GROUP_KEYS).join(', ')}`);
    }
    return folded;
  }

  private foldAll(): Promise<number> {
    return this.em.fork().transactional(async (tx) => {
      const [{ locked }] = await tx.execute<{ locked: boolean }[]>(
        'select pg_try_advisory_xact_lock(?) as locked',
        [COMPACTION_LOCK],
      );
      if (!locked) return 0;
      let folded = 0;
      for (const table of Object.keys(GROUP_KEYS) as (keyof typeof ROLLUP_SUMS)[]) {
        folded += await this.compactTable(tx, table);
      }
      return folded;
    });
  }

  private async compactTable(tx: EntityManager, table: keyof typeof ROLLUP_SUMS): Promise<number> {
    const keys = GROUP_KEYS[table].join(', ');
    const sums = ROLLUP_SUMS[table];
    const [{ before, after }] = await tx.execute<{ before: string; after: string }[]>(
      `with many as (
         select ${keys} from ${table} group by ${keys} having count(*) > 1),
       gone as (
         delete from ${table} t using many
          where (${GROUP_KEYS[table].map((k) => `t.${k}`).join(', ')}) = (${GROUP_KEYS[table].map((k) => `many.${k}`).join(', ')})
         returning ${GROUP_KEYS[table].map((k) => `t.${k}`).join(', ')}, ${sums.map((s) => `t.${s}`).join(', ')}),
       kept as (
         insert into ${table} (${keys}, ${sums.join(', ')})
           select * from (
             select ${keys}, ${sums.map((s) => `sum(${s})::int as ${s}`).join(', ')}
               from gone group by ${keys}) g
            where ${sums.map((s) => `${s} <> 0`).join(' or ')}
         returning 1)
       select (select count(*) from gone) as before, (select count(*) from kept) as after`,
    );
    return Number(before) - Number(after);
  }
}
