import { z } from 'zod';
import { BackgroundCheckStatus, WAIVER_REASON_MAX_LENGTH } from '../background-check.entity';
import { BackgroundCheckInvalid } from '../background-checks.errors';
import {
  jurisdictionField,
  providerNameField,
  providerReferenceField,
  statusField,
  typeField,
} from './background-check-fields';
import { problemsOf } from './input-problems';

/** An empty form field means "none". */
const blank = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/** `<input type="date">` sends YYYY-MM-DD: read as midnight UTC. */
const dateField = z.preprocess(
  blank,
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter a date like 2026-06-30.')
    .transform((s) => new Date(`${s}T00:00:00.000Z`))
    .refine((d) => !Number.isNaN(d.getTime()), 'Enter a real date, like 2026-06-30.')
    .optional(),
);

const optionalText = (max: number) => z.preprocess(blank, z.string().trim().max(max).optional());

const fields = {
  jurisdiction: jurisdictionField,
  status: statusField,
  invitedAt: dateField,
  startedAt: dateField,
  completedAt: dateField,
  expiresAt: dateField,
  waiverReason: optionalText(WAIVER_REASON_MAX_LENGTH),
  providerName: z.preprocess(blank, providerNameField.optional()),
  providerReference: z.preprocess(blank, providerReferenceField.optional()),
  adjudicationNotes: optionalText(10_000),
  reportReference: optionalText(500),
};

const DATE_ORDER = ['invitedAt', 'startedAt', 'completedAt'] as const;
const DATE_WORDS: Record<(typeof DATE_ORDER)[number], string> = {
  invitedAt: 'invited',
  startedAt: 'started',
  completedAt: 'completed',
};

/**
 * Rules across fields. They run even when a field failed (`when` below), so the person sees
 * every problem at once; a failed field may still hold its raw input, hence the guards.
 */
function crossFieldRules(value: Record<string, unknown>, ctx: z.RefinementCtx): void {
  if (value.status === BackgroundCheckStatus.Waived && !value.waiverReason) {
    ctx.addIssue({
      code: 'custom',
      path: ['waiverReason'],
      message: 'Give the reason for the waiver: auditors will read it.',
    });
  }
  for (let i = 1; i < DATE_ORDER.length; i++) {
    const earlier = value[DATE_ORDER[i - 1]];
    const later = value[DATE_ORDER[i]];
    if (earlier instanceof Date && later instanceof Date && later < earlier) {
      ctx.addIssue({
        code: 'custom',
        path: [DATE_ORDER[i]],
        message: `The ${DATE_WORDS[DATE_ORDER[i]]} date must not be before the ${DATE_WORDS[DATE_ORDER[i - 1]]} date.`,
      });
    }
  }
  if (value.providerReference && !value.providerName) {
    ctx.addIssue({
      code: 'custom',
      path: ['providerName'],
      message: 'Name the provider the reference belongs to.',
    });
  }
}

const ALWAYS = { when: () => true };

export const UpdateBackgroundCheckSchema = z
  .object(fields)
  .superRefine((value, ctx) => crossFieldRules(value, ctx), ALWAYS);

export const CreateBackgroundCheckSchema = z
  .object({ ...fields, personId: z.uuid('choose a person'), type: typeField })
  .superRefine((value, ctx) => crossFieldRules(value, ctx), ALWAYS);

export type UpdateBackgroundCheckDto = z.infer<typeof UpdateBackgroundCheckSchema>;
export type CreateBackgroundCheckDto = z.infer<typeof CreateBackgroundCheckSchema>;

export const BackgroundCheckListQuerySchema = z.object({
  status: z.preprocess(blank, z.union([statusField, z.literal('pending')]).optional()),
  type: z.preprocess(blank, typeField.optional()),
  page: z.preprocess(blank, z.coerce.number().int().min(1).max(100_000).default(1)),
});

export type BackgroundCheckListQuery = z.infer<typeof BackgroundCheckListQuerySchema>;

/** Parses `input` or throws {@link BackgroundCheckInvalid} listing every problem. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (!result.success) throw new BackgroundCheckInvalid(problemsOf(result.error));
  return result.data;
}
