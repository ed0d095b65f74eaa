import { MikroORM } from '@mikro-orm/postgresql';
import { Injectable, type OnModuleInit, Optional } from '@nestjs/common';
import type { Pool } from 'pg';
import { AttestMetrics } from './attest-metrics';

/**
 * The database pool's figures at each scrape, from the `pg` pool MikroORM exposes. Contexts
 * without a database (the CLI's `verify`) have none to watch.
 */
@Injectable()
export class DatabasePoolMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: AttestMetrics,
    @Optional() private readonly orm?: MikroORM,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.orm) return;
    const pool = (await this.orm.em.getConnection().getNativeClient()) as Pool;
    this.metrics.watchPool(() => ({
      total: pool.totalCount,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
    }));
  }
}
