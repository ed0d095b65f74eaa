import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { PENDING_CHECK_STATUSES } from '../background-checks/background-check.entity';
import type { CalendarDay } from '../common/calendar-day';

/** The most people a digest names in one section; the rest are counted. */
export const DIGEST_LIST_LIMIT = 25;

export interface HrDigestFacts {
  /** Started in the last 30 days, or start in the next 14, with nothing of their own done. */
  readonly notBegun: { id: string; fullName: string; startDate: string | null }[];
  readonly notBegunCount: number;
  readonly overdueByDepartment: { department: string; people: number; tasks: number }[];
  readonly stuckChecks: { personId: string; fullName: string; type: string; since: string }[];
  readonly stuckCount: number;
}

/** What the weekly HR digest says, counted in SQL. */
@Injectable()
export class NotificationDigestReader {
  async hrDigest(em: EntityManager, today: CalendarDay, stuckDays: number): Promise<HrDigestFacts> {
    const eligible = `p.status in ('active', 'pre_start') and (p.end_date is null or p.end_date >= ?::date)`;
    const notBegunWhere = `${eligible}
        and p.start_date between ?::date - 30 and ?::date + 14
        and not exists (select 1 from requirement_assignment a
                         where a.person_id = p.id and a.status = 'done'
                           and a.kind <> 'background_check')`;
    const pending = PENDING_CHECK_STATUSES.map(() => '?').join(', ');
    const stuckWhere = `b.status in (${pending}) and ${eligible}
        and coalesce(b.started_at, b.invited_at, b.created_at) < ?::date - ${Math.trunc(stuckDays)}`;
    const [
      notBegun,
      [{ count: notBegunCount }],
      overdueByDepartment,
      stuckChecks,
      [{ count: stuckCount }],
    ] = await Promise.all([
      em.execute<HrDigestFacts['notBegun']>(
        `select p.id, p.full_name as "fullName", p.start_date::text as "startDate"
             from person p where ${notBegunWhere}
            order by p.start_date, p.full_name limit ${DIGEST_LIST_LIMIT}`,
        [today, today, today],
      ),
      em.execute<{ count: string }[]>(
        `select count(*) as count from person p where ${notBegunWhere}`,
        [today, today, today],
      ),
      em.execute<{ department: string; people: string; tasks: string }[]>(
        `select coalesce(p.department, 'No department recorded') as department,
                  count(distinct p.id) as people, count(*) as tasks
             from requirement_assignment a join person p on p.id = a.person_id
            where a.status not in ('done', 'waived', 'not_required') and a.due_date < ?::date and ${eligible}
            group by 1 order by 3 desc, 1`,
        [today, today],
      ),
      em.execute<HrDigestFacts['stuckChecks']>(
        `select p.id as "personId", p.full_name as "fullName", b.type,
                  coalesce(b.started_at, b.invited_at, b.created_at)::date::text as since
             from background_check b join person p on p.id = b.person_id
            where ${stuckWhere} order by 4, 2 limit ${DIGEST_LIST_LIMIT}`,
        [...PENDING_CHECK_STATUSES, today, today],
      ),
      em.execute<{ count: string }[]>(
        `select count(*) as count from background_check b join person p on p.id = b.person_id
            where ${stuckWhere}`,
        [...PENDING_CHECK_STATUSES, today, today],
      ),
    ]);
    return {
      notBegun,
      notBegunCount: Number(notBegunCount),
      overdueByDepartment: overdueByDepartment.map((r) => ({
        department: r.department,
        people: Number(r.people),
        tasks: Number(r.tasks),
      })),
      stuckChecks,
      stuckCount: Number(stuckCount),
    };
  }

  /** Whether a message with this key is already in the outbox (digests are built only once). */
  async exists(em: EntityManager, key: string): Promise<boolean> {
    const rows = await em.execute('select 1 from notification where idempotency_key = ?', [key]);
    return rows.length > 0;
  }
}
