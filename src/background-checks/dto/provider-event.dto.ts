import { z } from 'zod';
import { BackgroundCheckStatus } from '../background-check.entity';
import {
  jurisdictionField,
  providerNameField,
  providerReferenceField,
  statusField,
  typeField,
} from './background-check-fields';

/**
 * What a screening provider posts to /api/v1/background-checks/events. Unknown keys are
 * refused rather than ignored, so that a misspelt field is reported instead of lost.
 */
export const ProviderEventSchema = z
  .strictObject({
    providerName: providerNameField,
    providerReference: providerReferenceField,
    personEmail: z.email('use an email address').max(320).toLowerCase().optional(),
    employeeNumber: z.string().trim().min(1).max(64).optional(),
    type: typeField,
    jurisdiction: jurisdictionField,
    status: statusField.refine(
      (s) => s !== BackgroundCheckStatus.Waived,
      'a provider cannot waive a check: only HR can, with a reason',
    ),
    occurredAt: z.iso.datetime({ offset: true, error: 'use an ISO 8601 date-time with a zone' }),
    reportReference: z.string().trim().min(1).max(500).optional(),
    adjudicationNotes: z.string().trim().min(1).max(10_000).optional(),
  })
  .superRefine(
    (value, ctx) => {
      if (value.personEmail === undefined && value.employeeNumber === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['personEmail'],
          message: 'identify the person with personEmail or employeeNumber',
        });
      }
    },
    // Also when a field failed: the sender sees every problem in one answer.
    { when: () => true },
  );

export type ProviderEventDto = z.infer<typeof ProviderEventSchema>;
