import { defineEntity, p } from '@mikro-orm/core';
import { purgeableAppendOnlyTrigger } from '../database/append-only.trigger';
import { BackgroundCheckSchema, BackgroundCheckStatus } from './background-check.entity';

export enum BackgroundCheckEventSource {
  Hr = 'hr',
  Provider = 'provider',
}

export const BackgroundCheckEventSchema = defineEntity({
  name: 'BackgroundCheckEvent',
  tableName: 'background_check_event',
  triggers: [purgeableAppendOnlyTrigger('background_check_event_append_only')],
  indexes: [{ name: 'background_check_event_check_at_index', properties: ['check', 'at'] }],
  properties: {
    id: p.uuid().primary(),
    check: () => p.manyToOne(BackgroundCheckSchema),
    /** When the change happened: the provider's `occurredAt`, or when HR saved it. */
    at: p.datetime(),
    /** A person id, or `integration:<token name>` for a provider webhook. */
    actorId: p.string().length(140),
    /** Null for the event that created the check. */
    fromStatus: p.enum(() => BackgroundCheckStatus).nullable(),
    toStatus: p.enum(() => BackgroundCheckStatus),
    source: p.enum(() => BackgroundCheckEventSource),
  },
});

/**
 * One status change of a background check. Append-only, and deliberately without free text:
 * anything said about the person belongs in the encrypted adjudication notes.
 */
export class BackgroundCheckEvent extends BackgroundCheckEventSchema.class {}
BackgroundCheckEventSchema.setClass(BackgroundCheckEvent);
