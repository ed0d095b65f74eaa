import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { NotificationKind, NotificationStatus } from './notification-kind';

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
  /** Messages to, or about, this person. */
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
        `(n.recipient_person_id = ? or n.about_person_id = ? or n.id in (
           select s.notification_id from notification_step s where s.person_id = ?))`,
      );
      params.push(filter.personId, filter.personId, filter.personId);
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
