import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { NotificationKind, type NotificationStatus } from './notification-kind';

export interface OutboxRow {
  readonly id: string;
  readonly kind: NotificationKind;
  readonly status: NotificationStatus;
  readonly statusReason: string | null;
  readonly recipientEmail: string;
  readonly recipientName: string | null;
  readonly recipientPersonId: string | null;
  readonly aboutPersonId: string | null;
  readonly aboutName: string | null;
  readonly subject: string;
  readonly itemCount: number;
  readonly attempts: number;
  readonly createdAt: Date;
  readonly sentAt: Date | null;
}

export interface OutboxFilter {
  readonly status?: NotificationStatus;
  readonly kind?: NotificationKind;
  /** Messages about this person: their own mail (about_person_id), and bundles with a step of theirs. Not what they received about others. */
  readonly personId?: string;
  /** Keyset: strictly older than this (created_at, id). */
  readonly before?: { readonly createdAt: Date; readonly id: string };
  readonly limit: number;
}

/** The follow-up a person has had: for the person page and the auditor's evidence. */
export interface FollowUp {
  readonly lastReminded: Date | null;
  readonly lastEscalated: Date | null;
  readonly messages: readonly OutboxRow[];
}

/** Who a message went to, seen from the person it concerns. */
export type RecipientRole = 'person' | 'manager' | 'hr' | 'other';

/** Keyset position in a set of people's follow-up: (person, queued at, message). */
export interface PeopleFollowUpCursor {
  readonly personId: string;
  /** Queued at, with the database's full microsecond precision. */
  readonly at: string;
  readonly notificationId: string;
}

/** One message concerning one person of a set, as the auditor's export lists it: no bodies. */
export interface PersonFollowUpRow {
  readonly personId: string;
  readonly notificationId: string;
  readonly kind: NotificationKind;
  readonly recipientEmail: string;
  readonly recipientRole: RecipientRole;
  readonly status: NotificationStatus;
  readonly statusReason: string | null;
  /** ISO 8601 instants, milliseconds. */
  readonly queuedAt: string;
  readonly sentAt: string | null;
  readonly itemCount: number;
  readonly cursor: PeopleFollowUpCursor;
}

const ROLE_OF_KIND: Partial<Record<NotificationKind, RecipientRole>> = {
  [NotificationKind.ManagerEscalation]: 'manager',
  [NotificationKind.ManagerDigest]: 'manager',
  [NotificationKind.HrEscalation]: 'hr',
  [NotificationKind.HrDigest]: 'hr',
};

/** The person themself when the message went to them; otherwise their manager or HR by kind. */
export const recipientRole = (
  personId: string,
  message: { readonly recipientPersonId: string | null; readonly kind: NotificationKind },
): RecipientRole =>
  message.recipientPersonId === personId ? 'person' : (ROLE_OF_KIND[message.kind] ?? 'other');

const ISO_MS = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
const ISO_US = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;

const OUTBOX_COLUMNS = `n.id, n.kind, n.status, n.status_reason as "statusReason",
  n.recipient_email as "recipientEmail", r.full_name as "recipientName",
  n.recipient_person_id as "recipientPersonId", n.about_person_id as "aboutPersonId",
  a.full_name as "aboutName", n.subject, n.item_count as "itemCount", n.attempts,
  n.created_at as "createdAt", n.sent_at as "sentAt"`;

const OUTBOX_FROM = `from notification n
  left join person r on r.id = n.recipient_person_id
  left join person a on a.id = n.about_person_id`;

/** Reads the outbox for pages: never the bodies, except for one message shown on its own. */
@Injectable()
export class NotificationHistoryReader {
  constructor(private readonly em: EntityManager) {}

  async list(filter: OutboxFilter): Promise<OutboxRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.status) {
      where.push('n.status = ?');
      params.push(filter.status);
    }
    if (filter.kind) {
      where.push('n.kind = ?');
      params.push(filter.kind);
    }
    if (filter.personId) {
      where.push(
        `(n.about_person_id = ? or n.id in (
           select s.notification_id from notification_step s where s.person_id = ?))`,
      );
      params.push(filter.personId, filter.personId);
    }
    if (filter.before) {
      where.push('(n.created_at, n.id) < (?, ?)');
      params.push(filter.before.createdAt, filter.before.id);
    }
    params.push(filter.limit);
    return this.em.fork().execute<OutboxRow[]>(
      `select ${OUTBOX_COLUMNS} ${OUTBOX_FROM}
        ${where.length > 0 ? `where ${where.join(' and ')}` : ''}
        order by n.created_at desc, n.id desc limit ?`,
      params,
    );
  }

  /** Every message that carried a step of this person's follow-up, newest first. */
  async followUpOf(personId: string): Promise<FollowUp> {
    const messages = await this.list({ personId, limit: 200 });
    const sentAt = (kinds: readonly string[]) =>
      messages.find((m) => kinds.includes(m.kind) && m.status === 'sent')?.sentAt ?? null;
    return {
      lastReminded: sentAt(['tasks', 'manual_reminder']),
      lastEscalated: sentAt(['manager_escalation', 'hr_escalation']),
      messages,
    };
  }

  /**
   * The follow-up of a set of people (SOC 2 CC1.5: what followed when someone did not sign),
   * for the auditor's export: one row per (person, message concerning them), ordered by
   * (person, queued at, message), `limit` at a time after `after`. A message concerns a person
   * it was about (their own mail), or that carried a step of theirs (an escalation); not the
   * escalations and digests they received about others. One statement; never the bodies.
   */
  async followUpOfPeople(
    personIds: readonly string[],
    limit: number,
    after?: PeopleFollowUpCursor,
  ): Promise<PersonFollowUpRow[]> {
    if (personIds.length === 0) return [];
    const params: unknown[] = [JSON.stringify(personIds)];
    let keyset = '';
    if (after) {
      keyset = 'where (c.person_id, n.created_at, n.id) > (?::uuid, ?::timestamptz, ?::uuid)';
      params.push(after.personId, after.at, after.notificationId);
    }
    params.push(limit);
    const rows = await this.em.fork().execute<
      (Omit<PersonFollowUpRow, 'recipientRole' | 'cursor'> & {
        recipientPersonId: string | null;
        cursorAt: string;
      })[]
    >(
      `with people as (
         select distinct value::uuid as id from jsonb_array_elements_text(?::jsonb)
       ), concerns as (
         select n.about_person_id as person_id, n.id
           from notification n join people p on p.id = n.about_person_id
         union
         select s.person_id, s.notification_id
           from notification_step s join people p on p.id = s.person_id
       )
       select c.person_id as "personId", n.id as "notificationId", n.kind,
              n.recipient_email as "recipientEmail", n.recipient_person_id as "recipientPersonId",
              n.status, n.status_reason as "statusReason", n.item_count as "itemCount",
              to_char(n.created_at at time zone 'UTC', ${ISO_MS}) as "queuedAt",
              to_char(n.sent_at at time zone 'UTC', ${ISO_MS}) as "sentAt",
              to_char(n.created_at at time zone 'UTC', ${ISO_US}) as "cursorAt"
         from concerns c join notification n on n.id = c.id
        ${keyset}
        order by c.person_id, n.created_at, n.id
        limit ?`,
      params,
    );
    return rows.map(({ recipientPersonId, cursorAt, ...row }) => ({
      ...row,
      recipientRole: recipientRole(row.personId, { recipientPersonId, kind: row.kind }),
      cursor: { personId: row.personId, at: cursorAt, notificationId: row.notificationId },
    }));
  }

  /** Whether HR sent this person a reminder by hand since `since`, in the caller's transaction. */
  async manualReminderSince(em: EntityManager, personId: string, since: Date): Promise<boolean> {
    const rows = await em.execute(
      `select 1 from notification
        where kind = 'manual_reminder' and about_person_id = ? and created_at > ? limit 1`,
      [personId, since],
    );
    return rows.length > 0;
  }

  /** One message with its bodies. */
  async findOne(
    id: string,
  ): Promise<(OutboxRow & { textBody: string; htmlBody: string; messageId: string }) | null> {
    const [row] = await this.em
      .fork()
      .execute<(OutboxRow & { textBody: string; htmlBody: string; messageId: string })[]>(
        `select ${OUTBOX_COLUMNS}, n.text_body as "textBody", n.html_body as "htmlBody",
              n.message_id as "messageId"
         ${OUTBOX_FROM} where n.id = ?`,
        [id],
      );
    return row ?? null;
  }
}
