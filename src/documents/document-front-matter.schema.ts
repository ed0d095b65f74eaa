import { z } from 'zod';
import { ChangeKind, DocumentKind } from './document-version.entity';

export const DOCUMENT_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** MAJOR.MINOR.PATCH without leading zeros, as semver writes it. */
export const VERSION = /^(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})$/;

const calendarDay = z
  .string({ message: 'must be a date written YYYY-MM-DD' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
  .refine(
    (v) =>
      !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) &&
      new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
    {
      message: 'is not a real calendar date',
    },
  );

const common = {
  id: z
    .string({ message: 'is required' })
    .max(100, 'must be at most 100 characters')
    .regex(DOCUMENT_ID, 'must be kebab-case: lower-case letters, digits and single hyphens'),
  title: z
    .string({ message: 'is required' })
    .trim()
    .min(1, 'is required')
    .max(200, 'must be at most 200 characters'),
  version: z
    .string({ message: 'is required, written MAJOR.MINOR.PATCH (quote it in YAML)' })
    .regex(VERSION, 'must be MAJOR.MINOR.PATCH, e.g. 1.2.0'),
  effective: calendarDay,
};

const question = z.strictObject({
  id: z.string({ message: 'is required' }).regex(DOCUMENT_ID, 'must be kebab-case'),
  prompt: z
    .string({ message: 'is required' })
    .trim()
    .min(1, 'is required')
    .max(500, 'must be at most 500 characters'),
  options: z
    .array(
      z.string().trim().min(1, 'must not be empty').max(300, 'must be at most 300 characters'),
      {
        message: 'must be a list of 2 to 6 answers',
      },
    )
    .min(2, 'must list at least 2 answers')
    .max(6, 'must list at most 6 answers'),
  answer: z
    .number({ message: 'must be the zero-based index of the correct option' })
    .int('must be a whole number')
    .min(0, 'must be 0 or more'),
});

export const documentFrontMatterSchema = z
  .strictObject({
    ...common,
    kind: z.enum(
      [
        DocumentKind.Policy,
        DocumentKind.Nda,
        DocumentKind.Confidentiality,
        DocumentKind.AcceptableUse,
        DocumentKind.Training,
      ],
      { message: 'must be one of policy, nda, confidentiality, acceptable-use, training' },
    ),
    change: z.enum([ChangeKind.Material, ChangeKind.Minor], {
      message: 'must be material or minor',
    }),
    changes: z
      .string({ message: 'is required: one paragraph saying what this version changes' })
      .trim()
      .min(1, 'is required: one paragraph saying what this version changes')
      .max(2000, 'must be at most 2000 characters'),
    resign_on_minor: z.boolean({ message: 'must be true or false' }).optional(),
    pass_mark: z
      .number({ message: 'must be a whole percentage' })
      .int('must be a whole percentage')
      .min(1, 'must be between 1 and 100')
      .max(100, 'must be between 1 and 100')
      .optional(),
    questions: z
      .array(question, { message: 'must be a list of questions' })
      .min(1, 'must hold at least one question')
      .max(50, 'must hold at most 50 questions')
      .optional(),
  })
  .superRefine((value, ctx) => {
    const training = value.kind === DocumentKind.Training;
    if (training && value.pass_mark === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['pass_mark'],
        message: 'is required for a training module',
      });
    }
    if (training && value.questions === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['questions'],
        message: 'are required for a training module',
      });
    }
    if (!training && (value.pass_mark !== undefined || value.questions !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['kind'],
        message: 'must be training for a document with a quiz',
      });
    }
    const seen = new Set<string>();
    value.questions?.forEach((q, index) => {
      if (seen.has(q.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['questions', index, 'id'],
          message: `repeats "${q.id}"`,
        });
      }
      seen.add(q.id);
      if (q.answer >= q.options.length) {
        ctx.addIssue({
          code: 'custom',
          path: ['questions', index, 'answer'],
          message: `must point at one of the ${q.options.length} options (0 to ${q.options.length - 1})`,
        });
      }
    });
  });

/** The ESIGN disclosure: versioned like a document, but never assigned or signed. */
export const disclosureFrontMatterSchema = z.strictObject(common);

export type DocumentFrontMatter = z.infer<typeof documentFrontMatterSchema>;
