import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { label } from '../common/labels';
import { TASK_KINDS } from '../documents/document-version.entity';
import { DocumentVersionRepository } from '../documents/document-version.repository';
import { localTime } from './local-time';
import { MailRenderer, type RenderedMail, type Subjects } from './mail-renderer';
import { NotificationKind } from './notification-kind';
import type { PlannedMessage, Recipient } from './notification-planner';
import type { NewNotification, NewNotificationStep } from './notification.repository';

/** A planned message as an outbox row: rendered, keyed, with the steps it carries. */
@Injectable()
export class NotificationComposer {
  constructor(
    private readonly renderer: MailRenderer,
    private readonly versions: DocumentVersionRepository,
  ) {}

  compose(
    message: PlannedMessage,
    at: Date,
    now: Date,
    subjects: Subjects,
    nameOf: (personId: string) => string,
  ): { row: NewNotification; steps: NewNotificationStep[] } {
    const today = localTime(at, message.recipient.timeZone).day;
    const mail =
      message.kind === NotificationKind.ManagerEscalation ||
      message.kind === NotificationKind.HrEscalation
        ? this.renderer.escalation(
            message.kind,
            message.recipient.name,
            message.items,
            nameOf,
            subjects.titleOf,
            today,
          )
        : this.renderer.tasks(message.kind, message.recipient.name, message.items, subjects, today);
    const id = randomUUID();
    const listed = message.items.filter((item) => !item.hidden).length;
    return {
      row: this.row(
        id,
        message.key,
        message.kind,
        message.recipient,
        message.aboutPersonId,
        mail,
        listed,
        now,
      ),
      steps: (message.recordsSteps ? message.items : []).map((item) => ({
        person_id: item.personId,
        requirement_id: item.requirementId,
        cycle: item.cycle,
        track: item.track,
        step: item.step,
        notification_id: id,
        listed: !item.hidden,
        due_date: item.dueDate,
      })),
    };
  }

  /** A message that carries no steps: a digest. */
  composeMail(
    key: string,
    kind: NotificationKind,
    recipient: Recipient,
    mail: RenderedMail,
    itemCount: number,
    now: Date,
  ): { row: NewNotification; steps: NewNotificationStep[] } {
    return {
      row: this.row(randomUUID(), key, kind, recipient, null, mail, itemCount, now),
      steps: [],
    };
  }

  private row(
    id: string,
    key: string,
    kind: NotificationKind,
    recipient: Recipient,
    aboutPersonId: string | null,
    mail: RenderedMail,
    itemCount: number,
    now: Date,
  ): NewNotification {
    return {
      id,
      idempotency_key: key,
      kind,
      recipient_person_id: recipient.personId,
      recipient_email: recipient.email,
      about_person_id: aboutPersonId,
      subject: mail.subject,
      text_body: mail.text,
      html_body: mail.html,
      next_attempt_at: now,
      // RFC 5322 §3.6.4: unique, and the same on every attempt.
      message_id: `<${id}@${new URL(this.renderer.signInLink('/')).hostname}>`,
      item_count: itemCount,
      created_at: now,
    };
  }

  /** What mail calls each document and module, and what each document's latest version changed. */
  async titles(): Promise<Subjects> {
    const [known, changes] = await Promise.all([
      this.versions.currentTitlesOfKinds(TASK_KINDS),
      this.versions.currentChanges(),
    ]);
    return {
      titleOf: (_kind, subject) => known.get(subject)?.title ?? label(subject),
      changesOf: (documentId) => changes.get(documentId),
    };
  }
}
