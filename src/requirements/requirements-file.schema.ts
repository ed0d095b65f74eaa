import { z } from 'zod';
import { ALL_ROLES } from '../access/role';
import { notificationsSectionSchema } from '../notifications/notification-policy.schema';
import { EmploymentType } from '../people/person.entity';
import {
  BACKGROUND_CHECK_TYPES,
  RequirementKind,
  TASK_SUBJECTS,
  TaskDoer,
} from './requirement-rule';

const KEBAB_CASE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const oneOf = (values: readonly string[]) => `must be one of ${values.join(', ')}`;

const nonEmptyList = <T extends z.ZodType>(item: T) =>
  z
    .array(item, { error: 'must be a list, such as [US, CA]' })
    .min(1, 'must name at least one entry; leave the key out to match everyone');

const countryCode = z
  .string({ error: 'must be a two-letter country code such as US or DE' })
  .regex(
    /^[A-Z]{2}$/,
    'must be a two-letter upper-case country code (ISO 3166-1) such as US or DE',
  );

const wholeNumber = (min: number, max: number) =>
  z
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

const employmentTypes = Object.values(EmploymentType) as [EmploymentType, ...EmploymentType[]];
const kinds = Object.values(RequirementKind) as [RequirementKind, ...RequirementKind[]];
const doers = Object.values(TaskDoer) as [TaskDoer, ...TaskDoer[]];
const doer = z.enum(doers, { error: oneOf(doers) });

const selector = z.strictObject(
  {
    countries: nonEmptyList(countryCode).optional(),
    exclude_countries: nonEmptyList(countryCode).optional(),
    employment_types: nonEmptyList(
      z.enum(employmentTypes, { error: oneOf(employmentTypes) }),
    ).optional(),
    departments: nonEmptyList(
      z.string({ error: 'must be a department name' }).trim().min(1, 'must not be empty'),
    ).optional(),
    roles: nonEmptyList(
      z.enum(ALL_ROLES as [string, ...string[]], { error: oneOf(ALL_ROLES) }),
    ).optional(),
  },
  { error: 'must be a map of selectors, or {} for everyone' },
);

const requirement = z
  .strictObject(
    {
      id: z
        .string({ error: 'must be a kebab-case name such as us-criminal-record' })
        .regex(KEBAB_CASE, 'must be a kebab-case name such as us-criminal-record'),
      kind: z.enum(kinds, { error: oneOf(kinds) }),
      subject: z.string({ error: 'must be a document, training or check name' }),
      applies_to: selector.nullish(),
      due: z
        .strictObject(
          {
            days_after_start: wholeNumber(-365, 365).optional(),
            // Offboarding: due N days after the end date (or the day access ended).
            days_after_end: wholeNumber(-90, 365).optional(),
          },
          { error: 'must be a map such as { days_after_start: 7 } or { days_after_end: 0 }' },
        )
        .refine(
          (due) => (due.days_after_start === undefined) !== (due.days_after_end === undefined),
          {
            message:
              'must give exactly one of days_after_start (joiners) or days_after_end (leavers)',
          },
        ),
      done_by: z
        .union([doer, nonEmptyList(doer)], {
          error: 'must be hr, manager or a list such as [hr, manager]',
        })
        .optional(),
      recurrence: z
        .strictObject(
          { every_months: wholeNumber(1, 120) },
          { error: 'must be a map such as { every_months: 12 }' },
        )
        .optional(),
      reacknowledge: z
        .strictObject(
          { days_after_publication: wholeNumber(0, 365) },
          { error: 'must be a map such as { days_after_publication: 30 }' },
        )
        .optional(),
    },
    { error: 'must be a map with id, kind, subject, applies_to and due' },
  )
  .superRefine((rule, ctx) => {
    const leaving = rule.due.days_after_end !== undefined;
    if (rule.kind === RequirementKind.Task) {
      if (!(TASK_SUBJECTS as readonly string[]).includes(rule.subject)) {
        ctx.addIssue({
          code: 'custom',
          path: ['subject'],
          message: `must be an offboarding task: ${TASK_SUBJECTS.join(', ')}`,
        });
      }
      if (!rule.done_by) {
        ctx.addIssue({
          code: 'custom',
          path: ['kind'],
          message: 'a task needs done_by: hr, manager or [hr, manager]',
        });
      }
      if (!leaving) {
        ctx.addIssue({
          code: 'custom',
          path: ['due'],
          message: 'tasks are for leavers: give due: { days_after_end: N }',
        });
      }
    } else if (rule.done_by) {
      ctx.addIssue({
        code: 'custom',
        path: ['done_by'],
        message: 'applies to tasks only: people do their own documents, training and checks',
      });
    }
    if (leaving && (rule.recurrence || rule.reacknowledge)) {
      ctx.addIssue({
        code: 'custom',
        path: [rule.recurrence ? 'recurrence' : 'reacknowledge'],
        message:
          'a leaving rule (days_after_end) happens once: leave out recurrence and reacknowledge',
      });
    }
    if (rule.kind === RequirementKind.Task) {
      // Checked above.
    } else if (rule.kind === RequirementKind.BackgroundCheck) {
      if (!(BACKGROUND_CHECK_TYPES as readonly string[]).includes(rule.subject)) {
        ctx.addIssue({
          code: 'custom',
          path: ['subject'],
          message: `must be a background check type: ${BACKGROUND_CHECK_TYPES.join(', ')}`,
        });
      }
    } else if (!KEBAB_CASE.test(rule.subject)) {
      ctx.addIssue({
        code: 'custom',
        path: ['subject'],
        message: `must be the kebab-case id of a ${rule.kind}, such as ${
          rule.kind === RequirementKind.Document ? 'nda' : 'training-phishing'
        }`,
      });
    }
    if (rule.reacknowledge && rule.kind !== RequirementKind.Document) {
      ctx.addIssue({
        code: 'custom',
        path: ['reacknowledge'],
        message: 'applies to documents only: only documents have new versions to re-sign',
      });
    }
  });

export const requirementsFileSchema = z.strictObject(
  {
    version: z.literal(1, { error: 'must be 1' }),
    requirements: z.array(requirement, { error: 'must be a list of requirements' }),
    // Who is reminded of the requirements, and when (src/notifications/).
    notifications: notificationsSectionSchema.optional(),
  },
  {
    error: 'must be a map with `version: 1`, a `requirements:` list and optional `notifications:`',
  },
);

export type RequirementsFileContent = z.infer<typeof requirementsFileSchema>;
