import { humanInstant, label, plural } from '../common/labels';
import type { OutboxRow } from './notification-history.reader';
import { NotificationKind, NotificationStatus } from './notification-kind';

export const KIND_WORDS: Readonly<Record<NotificationKind, string>> = {
  [NotificationKind.Tasks]: 'Tasks and reminders',
  [NotificationKind.ManualReminder]: 'Reminder sent by HR',
  [NotificationKind.ManagerEscalation]: 'Escalation to manager',
  [NotificationKind.HrEscalation]: 'Escalation to HR',
  [NotificationKind.HrDigest]: 'Weekly HR digest',
  [NotificationKind.ManagerDigest]: 'Weekly manager digest',
};

const STATUS_TAGS: Readonly<Record<NotificationStatus, string>> = {
  [NotificationStatus.Queued]: 'govuk-tag--blue',
  [NotificationStatus.Sending]: 'govuk-tag--light-blue',
  [NotificationStatus.Sent]: 'govuk-tag--green',
  [NotificationStatus.Failed]: 'govuk-tag--red',
  [NotificationStatus.Suppressed]: 'govuk-tag--grey',
};

export interface OutboxRowView {
  id: string;
  kindText: string;
  statusText: string;
  tagClass: string;
  reason: string | null;
  to: string;
  toEmail: string;
  toPersonId: string | null;
  aboutName: string | null;
  aboutPersonId: string | null;
  subject: string;
  items: string;
  when: string;
  whenIso: string;
}

export function outboxRowView(row: OutboxRow): OutboxRowView {
  const when = row.sentAt ?? row.createdAt;
  return {
    id: row.id,
    kindText: KIND_WORDS[row.kind] ?? label(row.kind),
    statusText: label(row.status),
    tagClass: STATUS_TAGS[row.status] ?? 'govuk-tag--grey',
    reason: row.status === NotificationStatus.Sent ? null : row.statusReason,
    to: row.recipientName ?? row.recipientEmail,
    toEmail: row.recipientEmail,
    toPersonId: row.recipientPersonId,
    aboutName:
      row.aboutPersonId && row.aboutPersonId !== row.recipientPersonId ? row.aboutName : null,
    aboutPersonId: row.aboutPersonId,
    subject: row.subject,
    items: plural(row.itemCount, 'task'),
    when: humanInstant(when),
    whenIso: new Date(when).toISOString(),
  };
}

/** One message as shown on its own page: the list's row, its text part and Message-ID. */
export function messageView(
  message: OutboxRow & { readonly textBody: string; readonly messageId: string },
): OutboxRowView & { text: string; messageId: string } {
  // Only a retention purge empties a body (policies/retention.yml, notification_bodies).
  const text =
    message.textBody === ''
      ? '(The text of this message was deleted under the retention policy; who it went to, when, and its subject are kept.)'
      : message.textBody;
  return { ...outboxRowView(message), text, messageId: message.messageId };
}

export const OUTBOX_CSV_HEADER = [
  'id',
  'created_at',
  'sent_at',
  'kind',
  'status',
  'reason',
  'recipient_email',
  'recipient_person_id',
  'about_person_id',
  'subject',
  'tasks',
  'attempts',
];

export function outboxCsvRow(row: OutboxRow): unknown[] {
  return [
    row.id,
    new Date(row.createdAt).toISOString(),
    row.sentAt ? new Date(row.sentAt).toISOString() : '',
    row.kind,
    row.status,
    row.statusReason ?? '',
    row.recipientEmail,
    row.recipientPersonId ?? '',
    row.aboutPersonId ?? '',
    row.subject,
    row.itemCount,
    row.attempts,
  ];
}
