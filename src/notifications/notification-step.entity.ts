import { defineEntity, p } from '@mikro-orm/core';
import { appendOnlyTrigger } from '../database/append-only.trigger';
import { NotificationTrack } from './notification-kind';
import { NotificationSchema } from './notification.entity';

export const NotificationStepSchema = defineEntity({
  name: 'NotificationStep',
  tableName: 'notification_step',
  // Evidence of follow-up (SOC 2 CC1.5): what went out about whom is never rewritten.
  triggers: [appendOnlyTrigger('notification_step_append_only')],
  // The primary key is the idempotency key of one follow-up step: (person, requirement, cycle,
  // track, step). No surrogate id: a pass writes one row per step, often a hundred thousand.
  properties: {
    personId: p.uuid().primary(),
    requirementId: p.string().length(100).primary(),
    cycle: p.integer().primary(),
    track: p.enum(() => NotificationTrack).primary(),
    /** `assigned`, `before-3`, `due`, `overdue-6`, `manager`, `hr`, or a manual reminder's time. */
    step: p.string().length(40).primary(),
    /** The message the step went out in; several steps share one bundled message. */
    notification: () => p.manyToOne(NotificationSchema).index(),
    /** Listed in the message, or only recorded with it (a reminder its notice covered). */
    listed: p.boolean(),
    dueDate: p.date(),
    recordedAt: p.datetime(),
  },
});

/** One step of follow-up on one assignment, recorded with the message that carried it. */
export class NotificationStep extends NotificationStepSchema.class {}
NotificationStepSchema.setClass(NotificationStep);

export const NOTIFICATION_ENTITIES = [NotificationSchema, NotificationStepSchema];
