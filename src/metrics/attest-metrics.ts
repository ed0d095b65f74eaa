import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Something whose size is read at each scrape: a queue, a pool. */
export type SizeSource = () => Promise<number> | number;

/** The database pool's connections at the moment of a scrape. */
export type PoolSource = () => { total: number; idle: number; waiting: number };

/**
 * The app's Prometheus metrics, in a registry of its own (one per app: tests run many in one
 * process). Labels are bounded sets (a route's pattern, never its URL; an outcome's code), so
 * no person's data and no id ever becomes a label.
 */
@Injectable()
export class AttestMetrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'attest_http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly signIns = new Counter({
    name: 'attest_sign_ins_total',
    help: 'Sign-ins through the IdP by outcome (succeeded, or the reason it was refused).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly attestations = new Counter({
    name: 'attest_attestations_sealed_total',
    help: 'Attestation PDFs laid out and sealed, by kind (one whose transaction rolled back too).',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  readonly sealDuration = new Histogram({
    name: 'attest_attestation_seal_seconds',
    help: 'Laying out and sealing one attestation PDF.',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly notifications = new Counter({
    name: 'attest_notifications_total',
    help: 'Outbox messages by outcome of a delivery attempt: sent, failed, suppressed, or retrying.',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  private readonly sizes = new Map<string, SizeSource>();
  private pool: PoolSource | undefined;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    // The process's own figures (CPU, memory, event-loop delay, GC) only where something
    // scrapes them: their observers live as long as the process.
    if (config.secrets.metricsToken) {
      collectDefaultMetrics({ register: this.registry, prefix: 'attest_' });
    }
    const sizes = this.sizes;
    const pool = () => this.pool;
    new Gauge({
      name: 'attest_db_pool_connections',
      help: "The database pool's connections: total open, idle, and requests waiting for one.",
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        const read = pool();
        if (!read) return;
        const { total, idle, waiting } = read();
        this.set({ state: 'total' }, total);
        this.set({ state: 'idle' }, idle);
        this.set({ state: 'waiting' }, waiting);
      },
    });
    new Gauge({
      name: 'attest_queue_size',
      help: 'Work waiting, by queue (export jobs not yet finished; notifications queued or being sent).',
      labelNames: ['queue'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const [queue, read] of sizes) {
          // A queue that cannot be read (the database is down) is left out of this scrape;
          // the rest, the process's own figures included, still answer.
          const size = await Promise.resolve()
            .then(read)
            .catch(() => undefined);
          if (size !== undefined) this.set({ queue }, size);
        }
      },
    });
  }

  /** The database connection pool each scrape reads. */
  watchPool(read: PoolSource): void {
    this.pool = read;
  }

  /** A queue whose size each scrape reads. */
  watchQueue(queue: string, read: SizeSource): void {
    this.sizes.set(queue, read);
  }

  /** The exposition text (Prometheus text format 0.0.4). */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
