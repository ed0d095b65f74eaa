import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import type { NotificationKind, NotificationTrack } from './notification-kind';
import { NotificationStatus } from './notification-kind';

/** The two tables as Kysely writes them (the .entity.ts files are the schema). */
export interface NotificationTables {
  notification: {
    id: string;
    idempotency_key: string;
    kind: NotificationKind;
    recipient_person_id: string | null;
    recipient_email: string;
    about_person_id: string | null;
    subject: string;
    text_body: string;
    html_body: string;
    status: NotificationStatus;
    status_reason: string | null;
    attempts: number;
    next_attempt_at: Date;
    claimed_until: Date | null;
    claim_token: string | null;
    message_id: string;
    item_count: number;
    created_at: Date;
    sent_at: Date | null;
    updated_at: Date;
  };
  notification_step: {
    person_id: string;
    requirement_id: string;
    cycle: number;
    track: NotificationTrack;
    step: string;
    notification_id: string;
    listed: boolean;
    due_date: string;
    recorded_at: Date;
  };
}

export type NewNotification = Omit<
  NotificationTables['notification'],
  | 'status_reason'
  | 'attempts'
  | 'claimed_until'
  | 'claim_token'
  | 'sent_at'
  | 'updated_at'
  | 'status'
>;
export type NewNotificationStep = Omit<NotificationTables['notification_step'], 'recorded_at'>;

/** A message claimed for delivery. */
export interface ClaimedNotification {
  readonly id: string;
  readonly kind: NotificationKind;
  readonly recipientEmail: string;
  readonly aboutPersonId: string | null;
  readonly recipientPersonId: string | null;
  readonly subject: string;
  readonly textBody: string;
  readonly htmlBody: string;
  readonly messageId: string;
  readonly attempts: number;
  readonly itemCount: number;
}

/** Why a queued message is no longer worth sending, or null when it still is. */
export interface Relevance {
  readonly id: string;
  readonly reason: string | null;
}

/**
 * The outbox and its follow-up steps. Messages change status (queued → sending → sent, failed
 * or suppressed) but are never deleted here; steps are append-only.
 */
@Injectable()
export class NotificationRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * Queues messages with their steps, in the caller's transaction. A message whose key is
   * already queued is skipped with its steps; a step already recorded stays with its first
   * message. Returns the ids of the messages queued now.
   */
  async queueIn(
    em: EntityManager,
    messages: readonly { row: NewNotification; steps: readonly NewNotificationStep[] }[],
    now: Date,
  ): Promise<string[]> {
    if (messages.length === 0) return [];
    const db = em.getKysely<NotificationTables>();
    const queued: string[] = [];
    // Each batch travels as one bound JSON parameter (jsonb_to_recordset). Bound, not written
    // into the statement as the ORM's execute() does: megabytes of bodies would be escaped into
    // the SQL text and parsed back by the database.
    for (let i = 0; i < messages.length; i += 1000) {
      const batch = JSON.stringify(messages.slice(i, i + 1000).map(({ row }) => row));
      const { rows } = await sql<{ id: string }>`
        insert into notification (id, idempotency_key, kind, recipient_person_id, recipient_email,
               about_person_id, subject, text_body, html_body, status, attempts, next_attempt_at,
               message_id, item_count, created_at, updated_at)
        select r.id, r.idempotency_key, r.kind, r.recipient_person_id, r.recipient_email,
               r.about_person_id, r.subject, r.text_body, r.html_body, 'queued', 0, ${now},
               r.message_id, r.item_count, ${now}, ${now}
          from jsonb_to_recordset(${batch}::jsonb) as r(id uuid, idempotency_key text, kind text,
               recipient_person_id uuid, recipient_email text, about_person_id uuid, subject text,
               text_body text, html_body text, message_id text, item_count int)
        on conflict (idempotency_key) do nothing
        returning id`.execute(db);
      queued.push(...rows.map((r) => r.id));
    }
    const ids = new Set(queued);
    const steps = messages.filter(({ row }) => ids.has(row.id)).flatMap(({ steps }) => steps);
    for (let i = 0; i < steps.length; i += 10_000) {
      const batch = JSON.stringify(steps.slice(i, i + 10_000));
      await sql`
        insert into notification_step (person_id, requirement_id, cycle, track, step,
               notification_id, listed, due_date, recorded_at)
        select s.person_id, s.requirement_id, s.cycle, s.track, s.step, s.notification_id,
               s.listed, s.due_date, ${now}
          from jsonb_to_recordset(${batch}::jsonb) as s(person_id uuid, requirement_id text,
               cycle int, track text, step text, notification_id uuid, listed boolean, due_date date)
        on conflict (person_id, requirement_id, cycle, track, step) do nothing`.execute(db);
    }
    return queued;
  }

  /**
   * Takes up to `limit` due messages for this worker: queued ones whose time has come, and
   * `sending` ones whose worker vanished (its claim lapsed). SKIP LOCKED lets several workers
   * claim at once without waiting on, or taking, each other's rows.
   */
  async claim(
    now: Date,
    limit: number,
    claimMs: number,
    token: string,
  ): Promise<ClaimedNotification[]> {
    return this.em.fork().execute<ClaimedNotification[]>(
      `update notification n
          set status = 'sending', claimed_until = ?, claim_token = ?, attempts = n.attempts + 1,
              updated_at = ?
        where n.id in (
          select id from notification
           where status in ('queued', 'sending') and next_attempt_at <= ?
             and (status = 'queued' or claimed_until < ?)
           order by next_attempt_at, id
           limit ? for update skip locked)
        returning n.id, n.kind, n.recipient_email as "recipientEmail",
                  n.about_person_id as "aboutPersonId", n.recipient_person_id as "recipientPersonId",
                  n.subject, n.text_body as "textBody", n.html_body as "htmlBody",
                  n.message_id as "messageId", n.attempts, n.item_count as "itemCount"`,
      [new Date(now.getTime() + claimMs), token, now, now, now, limit],
    );
  }

  /**
   * For each claimed message, whether it is still worth sending: a message about one person is
   * not sent once every assignment it listed is done or waived, or once the person has left
   * or gone on leave. Manual reminders and bundles (escalations, digests) are judged alike by
   * their steps; a message without steps (a digest) is always relevant.
   */
  async relevance(ids: readonly string[], today: string): Promise<Map<string, string | null>> {
    if (ids.length === 0) return new Map();
    const rows = await this.em.fork().execute<Relevance[]>(
      `select n.id,
              case
                when p.id is not null and (p.status in ('terminated', 'on_leave')
                     or (p.end_date is not null and p.end_date < ?::date))
                  then 'the person has left or is on leave'
                when exists (select 1 from notification_step s where s.notification_id = n.id)
                 and not exists (
                   select 1 from notification_step s
                     join requirement_assignment a
                       on a.person_id = s.person_id and a.requirement_id = s.requirement_id
                      and a.cycle = s.cycle
                     join person sp on sp.id = s.person_id
                    where s.notification_id = n.id and s.listed
                      and a.status not in ('done', 'waived', 'not_required')
                      and sp.status not in ('terminated', 'on_leave'))
                  then 'everything it listed was done or waived before it was sent'
              end as reason
         from notification n
         left join person p on p.id = n.about_person_id
        where n.id in (select jsonb_array_elements_text(?::jsonb)::uuid)`,
      [today, JSON.stringify(ids)],
    );
    return new Map(rows.map((r) => [r.id, r.reason]));
  }

  /** Records the outcome of an attempt, only by the worker that holds the claim. */
  async settle(
    em: EntityManager,
    id: string,
    token: string,
    outcome: {
      status: NotificationStatus;
      reason: string | null;
      nextAttemptAt?: Date;
      sentAt?: Date;
    },
    now: Date,
  ): Promise<boolean> {
    const result = await em
      .getKysely<NotificationTables>()
      .updateTable('notification')
      .set({
        status: outcome.status,
        status_reason: outcome.reason?.slice(0, 1000) ?? null,
        claimed_until: null,
        claim_token: null,
        updated_at: now,
        ...(outcome.nextAttemptAt && { next_attempt_at: outcome.nextAttemptAt }),
        ...(outcome.sentAt && { sent_at: outcome.sentAt }),
      })
      .where('id', '=', id)
      .where('status', '=', NotificationStatus.Sending)
      // A worker whose claim lapsed and was taken over records nothing: the new owner does.
      .where('claim_token', '=', token)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** How many messages are queued or being sent: for /metrics and the CLI's summary. */
  async countUnsent(): Promise<number> {
    const [row] = await this.em
      .fork()
      .execute<{ count: string }[]>(
        `select count(*) as count from notification where status in ('queued', 'sending')`,
      );
    return Number(row.count);
  }
}
