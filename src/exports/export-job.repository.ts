import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { ExportFilters } from './export-filters';
import { ExportDelivery, ExportJob, ExportStatus } from './export-job.entity';

export interface NewExportJob {
  readonly id: string;
  readonly status: ExportStatus;
  readonly delivery: ExportDelivery;
  readonly filters: ExportFilters;
  readonly total: number;
  readonly requestedBy: string;
  readonly createdAt: Date;
}

const UNFINISHED = [ExportStatus.Queued, ExportStatus.Running];

/** Export jobs: each change is one short statement, safe to run while a ZIP streams out. */
@Injectable()
export class ExportJobRepository {
  constructor(private readonly em: EntityManager) {}

  async create(job: NewExportJob): Promise<ExportJob> {
    const em = this.em.fork();
    const row = em.create(ExportJob, {
      ...job,
      doneCount: 0,
      sha256: null,
      size: null,
      error: null,
      startedAt: job.status === ExportStatus.Running ? job.createdAt : null,
      finishedAt: null,
    });
    await em.flush();
    return row;
  }

  findById(id: string): Promise<ExportJob | null> {
    return this.em.fork().findOne(ExportJob, { id });
  }

  /** The most recent exports, newest first. */
  recent(limit: number): Promise<ExportJob[]> {
    return this.em.fork().find(ExportJob, {}, { orderBy: { createdAt: 'desc', id: 'asc' }, limit });
  }

  /**
   * Background jobs a restart must pick up again (the embedded database's in-process queue).
   * A streamed export died with its request: there is nobody to send it to.
   */
  /** How many stored exports are queued or running. */
  countUnfinished(): Promise<number> {
    return this.em
      .fork()
      .count(ExportJob, { status: { $in: UNFINISHED }, delivery: ExportDelivery.Stored });
  }

  async unfinishedIds(): Promise<string[]> {
    const rows = await this.em
      .fork()
      .find(
        ExportJob,
        { status: { $in: UNFINISHED }, delivery: ExportDelivery.Stored },
        { orderBy: { createdAt: 'asc' }, fields: ['id'] },
      );
    return rows.map((r) => r.id);
  }

  /** Claims a queued (or interrupted) background job; false when it finished meanwhile. */
  async claim(id: string, total: number, now: Date): Promise<boolean> {
    const updated = await this.em
      .fork()
      .nativeUpdate(
        ExportJob,
        { id, status: { $in: UNFINISHED }, delivery: ExportDelivery.Stored },
        { status: ExportStatus.Running, total, doneCount: 0, startedAt: now, error: null },
      );
    return updated === 1;
  }

  async progress(id: string, doneCount: number): Promise<void> {
    await this.em.fork().nativeUpdate(ExportJob, { id }, { doneCount });
  }

  async done(id: string, result: { count: number; sha256: string; size: number }, now: Date) {
    await this.em.fork().nativeUpdate(
      ExportJob,
      { id },
      {
        status: ExportStatus.Done,
        total: result.count,
        doneCount: result.count,
        sha256: result.sha256,
        size: result.size,
        finishedAt: now,
      },
    );
  }

  async failed(id: string, error: string, now: Date): Promise<void> {
    await this.em
      .fork()
      .nativeUpdate(
        ExportJob,
        { id },
        { status: ExportStatus.Failed, error: error.slice(0, 300), finishedAt: now },
      );
  }

  /** Back in the queue after a shutdown interrupted it: the next run starts it again. */
  async requeue(id: string): Promise<void> {
    await this.em
      .fork()
      .nativeUpdate(
        ExportJob,
        { id, status: ExportStatus.Running },
        { status: ExportStatus.Queued, doneCount: 0 },
      );
  }
}
