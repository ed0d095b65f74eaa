import { Module } from '@nestjs/common';
import { FollowUpDatesReader } from './follow-up-dates.reader';
import { NotificationHistoryReader } from './notification-history.reader';
import { NotificationRepository } from './notification.repository';

/** The outbox's tables, for whoever shows a person's follow-up (the person page, auditors). */
@Module({
  providers: [NotificationRepository, NotificationHistoryReader, FollowUpDatesReader],
  exports: [NotificationRepository, NotificationHistoryReader, FollowUpDatesReader],
})
export class NotificationOutboxModule {}
