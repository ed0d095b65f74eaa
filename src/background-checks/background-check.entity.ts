import { defineEntity, p } from '@mikro-orm/core';
import { PersonSchema } from '../people/person.entity';

export enum BackgroundCheckType {
  Identity = 'identity',
  EmploymentVerification = 'employment_verification',
  CriminalRecord = 'criminal_record',
  Education = 'education',
  RightToWork = 'right_to_work',
  Credit = 'credit',
}

export enum BackgroundCheckStatus {
  NotStarted = 'not_started',
  Invited = 'invited',
  InProgress = 'in_progress',
  Clear = 'clear',
  Consider = 'consider',
  AdverseAction = 'adverse_action',
  Waived = 'waived',
  Expired = 'expired',
}

export const BACKGROUND_CHECK_TYPES: readonly BackgroundCheckType[] =
  Object.values(BackgroundCheckType);
export const BACKGROUND_CHECK_STATUSES: readonly BackgroundCheckStatus[] =
  Object.values(BackgroundCheckStatus);

/** Not decided yet: what "checks pending" counts and `?status=pending` lists. */
export const PENDING_CHECK_STATUSES: readonly BackgroundCheckStatus[] = [
  BackgroundCheckStatus.NotStarted,
  BackgroundCheckStatus.Invited,
  BackgroundCheckStatus.InProgress,
  BackgroundCheckStatus.Consider,
];

export const WAIVER_REASON_MAX_LENGTH = 1000;

export const BackgroundCheckSchema = defineEntity({
  name: 'BackgroundCheck',
  tableName: 'background_check',
  uniques: [
    // One check of each type per person; the key leads with person_id, so it also serves
    // "this person's checks".
    { name: 'background_check_person_type_unique', properties: ['person', 'type'] },
    // The provider's own id for the check: what makes its webhook deliveries idempotent.
    {
      name: 'background_check_provider_reference_unique',
      properties: ['providerName', 'providerReference'],
    },
  ],
  indexes: [{ name: 'background_check_status_type_index', properties: ['status', 'type'] }],
  // An auditor reads every waiver: one without a reason is not evidence of anything.
  checks: [
    {
      name: 'background_check_waiver_reason_check',
      expression: "status <> 'waived' or length(btrim(waiver_reason)) > 0",
    },
  ],
  properties: {
    id: p.uuid().primary(),
    person: () => p.manyToOne(PersonSchema),
    type: p.enum(() => BackgroundCheckType),
    /** ISO 3166-1 alpha-2, optionally with an ISO 3166-2 subdivision: `US`, `US-CA`. */
    jurisdiction: p.string().length(6),
    providerName: p.string().length(100).nullable(),
    providerReference: p.string().length(200).nullable(),
    invitedAt: p.datetime().nullable(),
    startedAt: p.datetime().nullable(),
    completedAt: p.datetime().nullable(),
    expiresAt: p.datetime().nullable(),
    status: p.enum(() => BackgroundCheckStatus),
    waiverReason: p.string().length(WAIVER_REASON_MAX_LENGTH).nullable(),
    /** DataCipher token under the context `bgcheck:<id>:adjudicationNotes`. */
    adjudicationNotesCiphertext: p.text().nullable(),
    /** DataCipher token under the context `bgcheck:<id>:reportReference`. */
    reportReferenceCiphertext: p.text().nullable(),
    /** When a retention purge deleted the two encrypted details; the check itself stays. */
    detailsPurgedAt: p.datetime().nullable(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});

/**
 * One screening of one person (identity, criminal record, …), as HR or the provider reports
 * it. What the screening found lives only in the two encrypted columns.
 */
export class BackgroundCheck extends BackgroundCheckSchema.class {}
BackgroundCheckSchema.setClass(BackgroundCheck);
