import type { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { prepared, runPrepared } from '../database/prepared-statement';
import { STORED_EVENT_COLUMNS, type StoredAuditEvent, toStoredEvent } from './stored-audit-event';

/** Events about one thing: its subject and, when given, one value of its details. */
export interface TrailCriterion {
  readonly action?: string;
  readonly subjectType?: string;
  readonly subjectId?: string;
  /** A key of the event's details and the text it must hold. */
  readonly detail: readonly [key: string, value: string];
}

/**
 * The audit module's reader for other features: the events one actor caused about one record,
 * read in the caller's transaction, so a trail includes what that transaction already wrote.
 */
@Injectable()
export class AuditTrailReader {
  /** The actor's events matching any criterion, in chain order. */
  async eventsIn(
    em: EntityManager,
    actorId: string,
    anyOf: readonly TrailCriterion[],
  ): Promise<StoredAuditEvent[]> {
    if (anyOf.length === 0) return [];
    const params: unknown[] = [actorId];
    const clauses = anyOf.map((c) => {
      const parts = ['details->>?::text = ?::text'];
      params.push(c.detail[0], c.detail[1]);
      for (const [column, value] of [
        ['action', c.action],
        ['subject_type', c.subjectType],
        ['subject_id', c.subjectId],
      ] as const) {
        if (value === undefined) continue;
        parts.push(`${column} = ?`);
        params.push(value);
      }
      return `(${parts.join(' and ')})`;
    });
    // One text per shape of criteria, so the few shapes callers use are each prepared once.
    const rows = await runPrepared<Parameters<typeof toStoredEvent>[0]>(
      em,
      prepared(
        `select ${STORED_EVENT_COLUMNS} from audit_event
          where actor_id = ? and (${clauses.join(' or ')})
          order by audit_event.seq`,
      ),
      params,
    );
    return rows.map(toStoredEvent);
  }
}
