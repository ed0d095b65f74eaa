import { defineEntity, p } from '@mikro-orm/core';
import { NotificationKind, NotificationStatus } from './notification-kind';

export const NotificationSchema = defineEntity({
  name: 'Notification',
  tableName: 'notification',
  indexes: [
    // The worker's claim: due messages, oldest first.
    {
      name: 'notification_due_index',
      expression:
        'create index "notification_due_index" on "notification" ("next_attempt_at", "id") where "status" in (\'queued\', \'sending\')',
    },
    // The outbox page, newest first, and the person page's "last reminded".
    { name: 'notification_created_at_index', properties: ['createdAt', 'id'] },
    { name: 'notification_about_person_index', properties: ['aboutPersonId', 'createdAt'] },
    { name: 'notification_recipient_person_index', properties: ['recipientPersonId', 'createdAt'] },
  ],
  properties: {
    id: p.uuid().primary(),
    /**
     * Kind, recipient and the local day (or week) the message is for. Unique: a second pass, a
     * second instance or a retry after a crash cannot queue the same message twice.
     */
    idempotencyKey: p.string().length(400).unique(),
    kind: p.enum(() => NotificationKind),
    /** Null for a shared mailbox, or a manager Attest has no record of. */
    recipientPersonId: p.uuid().nullable(),
    recipientEmail: p.string().length(320),
    /** The person the message is about: theirs for tasks mail, null for bundles. */
    aboutPersonId: p.uuid().nullable(),
    subject: p.string().length(300),
    /** Empty once purged under the retention policy (bodyPurgedAt). */
    textBody: p.text(),
    htmlBody: p.text(),
    /** When a retention purge cleared the bodies; the rest of the row stays as evidence. */
    bodyPurgedAt: p.datetime().nullable(),
    status: p.enum(() => NotificationStatus),
    /** Why it failed or was suppressed, or the mail server's reply to the last attempt. */
    statusReason: p.string().length(1000).nullable(),
    attempts: p.integer().default(0),
    nextAttemptAt: p.datetime(),
    /** While `sending`: when the claim lapses and another worker may take it over. */
    claimedUntil: p.datetime().nullable(),
    /** The claiming worker's token: only it may record the outcome while its claim holds. */
    claimToken: p.uuid().nullable(),
    /** RFC 5322 Message-ID, fixed at queueing so a retry sends the same message. */
    messageId: p.string().length(300),
    itemCount: p.integer(),
    createdAt: p.datetime(),
    sentAt: p.datetime().nullable(),
    updatedAt: p.datetime(),
  },
});

/** One message in the outbox: queued with what caused it, then sent, failed or suppressed. */
export class Notification extends NotificationSchema.class {}
NotificationSchema.setClass(Notification);
