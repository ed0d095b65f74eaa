import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { CalendarDay } from '../common/calendar-day';
import type { NotificationPolicy } from './notification-policy';
import type {
  OpenAssignment,
  PlannedPerson,
  Recipient,
  RecordedStep,
} from './notification-planner';
import { timeZoneOf } from './person-time-zone';

/** Work further ahead than this is not announced yet: next year's training is not news. */
export const NOTICE_HORIZON_DAYS = 30;
/** What HR's "send a reminder now" lists: open work due within this many days, or overdue. */
export const MANUAL_HORIZON_DAYS = 90;

interface PersonRow {
  id: string;
  email: string;
  fullName: string;
  country: string | null;
  region: string | null;
  managerEmail: string | null;
  status: string;
  endDate: string | null;
}

const PERSON_COLUMNS = `p.id, p.email, p.full_name as "fullName", p.country, p.region,
  p.manager_email as "managerEmail", p.status, p.end_date::text as "endDate"`;

/**
 * Reads what the scheduler decides on, in a few set-wise queries: the open assignments people
 * can act on (documents and training; HR runs background checks), the steps already recorded
 * for them, and the people, managers and HR who may be written to.
 */
@Injectable()
export class NotificationPlanReader {
  /** Reads in the caller's transaction, which holds the scheduler's lock. */
  async read(
    em: EntityManager,
    policy: NotificationPolicy,
    today: CalendarDay,
    /** Only this person's work (HR's "send a reminder now"). */
    onlyPersonId?: string,
  ): Promise<{
    people: Map<string, PlannedPerson>;
    assignments: OpenAssignment[];
    recorded: RecordedStep[];
    managers: Map<string, Recipient>;
    hr: Recipient[];
  }> {
    // Leavers (terminated, or past their end date) and people on leave are not written to. The
    // horizon is a day wider than NOTICE_HORIZON_DAYS: "today" differs by a day across zones.
    const anyEligible = `p.status in ('active', 'pre_start') and (p.end_date is null or p.end_date >= ?::date)`;
    const eligible = onlyPersonId ? `${anyEligible} and p.id = ?::uuid` : anyEligible;
    const eligibleParams = onlyPersonId ? [today, onlyPersonId] : [today];
    // HR's own reminder looks further ahead (a hire weeks before their start), but not to next
    // year's recurring training.
    const horizon = (onlyPersonId ? MANUAL_HORIZON_DAYS : NOTICE_HORIZON_DAYS) + 1;
    // Background checks and offboarding tasks are HR's to do: nobody is reminded of them.
    const open = `a.status not in ('done', 'waived', 'not_required')
      and a.kind not in ('background_check', 'task')
      and a.due_date <= ?::date + ${horizon}`;
    const [assignments, recorded, peopleRows] = await Promise.all([
      em.execute<OpenAssignment[]>(
        `select a.person_id as "personId", a.requirement_id as "requirementId", a.kind, a.subject,
                a.cycle, a.due_date::text as "dueDate"
           from requirement_assignment a join person p on p.id = a.person_id
          where ${open} and ${eligible}`,
        [today, ...eligibleParams],
      ),
      em.execute<RecordedStep[]>(
        `select s.person_id as "personId", s.requirement_id as "requirementId", s.cycle,
                s.track, s.step, s.listed
           from notification_step s
           join requirement_assignment a on a.person_id = s.person_id
            and a.requirement_id = s.requirement_id and a.cycle = s.cycle
           join person p on p.id = a.person_id
          where ${open} and ${eligible}`,
        [today, ...eligibleParams],
      ),
      em.execute<PersonRow[]>(
        `select ${PERSON_COLUMNS} from person p
          where ${eligible} and exists (
            select 1 from requirement_assignment a where a.person_id = p.id and ${open})`,
        [...eligibleParams, today],
      ),
    ]);
    const zone = policy.workingHours.defaultTimeZone;
    const recipient = (row: PersonRow): Recipient => ({
      personId: row.id,
      email: row.email,
      name: row.fullName,
      timeZone: timeZoneOf(row.country, row.region, zone),
      reachable:
        (row.status === 'active' || row.status === 'pre_start') &&
        (row.endDate === null || row.endDate >= today),
    });
    const people = new Map<string, PlannedPerson>(
      peopleRows.map((row) => [
        row.id,
        {
          ...recipient(row),
          personId: row.id,
          managerEmail: row.managerEmail?.toLowerCase() ?? null,
        },
      ]),
    );
    const managerEmails = [
      ...new Set(peopleRows.flatMap((r) => (r.managerEmail ? [r.managerEmail.toLowerCase()] : []))),
    ];
    const managerRows =
      managerEmails.length === 0
        ? []
        : await em.execute<PersonRow[]>(
            `select ${PERSON_COLUMNS} from person p
              where p.email in (select jsonb_array_elements_text(?::jsonb))`,
            [JSON.stringify(managerEmails)],
          );
    const managers = new Map(managerRows.map((row) => [row.email, recipient(row)]));
    const hr = policy.escalation.hrAddress
      ? [
          {
            personId: null,
            email: policy.escalation.hrAddress,
            name: null,
            timeZone: zone,
            reachable: true,
          },
        ]
      : (
          await em.execute<PersonRow[]>(
            `select ${PERSON_COLUMNS} from person p
              where 'hr' = any(p.roles) and ${anyEligible} order by p.email`,
            [today],
          )
        ).map(recipient);
    return { people, assignments, recorded, managers, hr };
  }
}
