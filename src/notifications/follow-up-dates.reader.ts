import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';

export interface AssignmentKey {
  readonly personId: string;
  readonly requirementId: string;
}

export interface FollowUpDates {
  readonly lastRemindedAt: Date | null;
  readonly lastEscalatedAt: Date | null;
}

const keyOf = (k: AssignmentKey) => `${k.personId}|${k.requirementId}`;

/**
 * When each of a page of assignments was last reminded and last escalated (sent messages
 * only), in one query: for the overdue list.
 */
@Injectable()
export class FollowUpDatesReader {
  constructor(private readonly em: EntityManager) {}

  async of(keys: readonly AssignmentKey[]): Promise<(key: AssignmentKey) => FollowUpDates> {
    const found = new Map<string, FollowUpDates>();
    if (keys.length > 0) {
      const rows = await this.em.fork().execute<
        {
          personId: string;
          requirementId: string;
          reminded: Date | null;
          escalated: Date | null;
        }[]
      >(
        `select s.person_id as "personId", s.requirement_id as "requirementId",
                max(n.sent_at) filter (where s.track in ('notice', 'reminder', 'manual')) as reminded,
                max(n.sent_at) filter (where s.track in ('manager', 'hr')) as escalated
           from notification_step s join notification n on n.id = s.notification_id
          where n.status = 'sent'
            and (s.person_id, s.requirement_id) in (
              select (k->>'personId')::uuid, k->>'requirementId'
                from jsonb_array_elements(?::jsonb) as k)
          group by 1, 2`,
        [JSON.stringify(keys.map(({ personId, requirementId }) => ({ personId, requirementId })))],
      );
      for (const r of rows) {
        found.set(keyOf(r), { lastRemindedAt: r.reminded, lastEscalatedAt: r.escalated });
      }
    }
    return (key) => found.get(keyOf(key)) ?? { lastRemindedAt: null, lastEscalatedAt: null };
  }
}
