import { Injectable } from '@nestjs/common';
import type { Principal } from '../access/principal';
import { AuditEventRepository } from './audit-event.repository';
import {
  type AuditLogView,
  auditLogUrl,
  filterOf,
  filtersForm,
  toCsvRow,
  toEventView,
} from './audit-log.views';
import { AuditNamesReader } from './audit-names.reader';
import { AuditService } from './audit.service';
import type { AuditLogQuery } from './dto/audit-log.dto';

const PAGE_SIZE = 50;
const CSV_BATCH = 1000;

/** Where a request came from, for the events it records. */
export interface RequestContext {
  readonly requestId?: string;
  readonly ip?: string;
  readonly userAgent?: string;
}

/** The audit log as admins and auditors read it: filtered pages, and the CSV export. */
@Injectable()
export class AuditLogService {
  constructor(
    private readonly events: AuditEventRepository,
    private readonly audit: AuditService,
    private readonly names: AuditNamesReader,
  ) {}

  /** One page, newest first; keyset-paged by seq, so a deep page costs what the first does. */
  async list(query: AuditLogQuery): Promise<AuditLogView> {
    const rows = await this.events.findNewest(filterOf(query), query.before, PAGE_SIZE + 1);
    const page = rows.slice(0, PAGE_SIZE);
    const names = await this.names.namesOf(page);
    const oldestShown = page.at(-1);
    const filters = filtersForm(query);
    const olderUrl =
      rows.length > PAGE_SIZE && oldestShown
        ? auditLogUrl('/audit', { ...query, before: oldestShown.seq })
        : null;
    const newestUrl = query.before ? auditLogUrl('/audit', { ...query, before: undefined }) : null;
    return {
      title: 'Audit log',
      filters,
      filtered: Object.values(filters).some(Boolean),
      events: page.map((event) => toEventView(event, names)),
      paged: Boolean(olderUrl ?? newestUrl),
      olderUrl,
      newestUrl,
      csvUrl: auditLogUrl('/audit.csv', { ...query, before: undefined }),
    };
  }

  /**
   * Every matching event, oldest first, a batch at a time. The export itself is recorded
   * first: the log holds addresses and user agents, and a copy of it leaves Attest.
   */
  async *exportCsv(
    actor: Principal,
    query: AuditLogQuery,
    context: RequestContext,
  ): AsyncGenerator<unknown[][]> {
    const { before: _page, ...filters } = query;
    await this.audit.record({
      action: 'audit.exported',
      actorId: actor.personId,
      details: { filters },
      ...context,
    });
    const filter = filterOf(query);
    for (let after: string | undefined; ;) {
      const batch = await this.events.findOldest(filter, after, CSV_BATCH);
      if (batch.length > 0) yield batch.map(toCsvRow);
      if (batch.length < CSV_BATCH) return;
      after = batch[batch.length - 1].seq;
    }
  }
}
