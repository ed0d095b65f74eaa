import { z } from 'zod';

/** An empty form field means "no filter". */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    schema.optional(),
  );

/** Ids as Attest writes them: a person's UUID, `cli`, `integration:acme`, a document id… */
const id = (field: string) =>
  z
    .string({ message: `The ${field} filter takes one value.` })
    .trim()
    .max(64, `The ${field} filter is at most 64 characters.`)
    .regex(/^[\w.:@-]+$/, `The ${field} filter is an id: letters, digits and . _ : @ - only.`);

/** `<input type="date">` sends YYYY-MM-DD, read as a UTC day. */
const day = (field: string) =>
  z
    .string({ message: `The ${field} date takes one value.` })
    .regex(/^\d{4}-\d{2}-\d{2}$/, `The ${field} date must look like 2026-03-31.`)
    .refine((s) => {
      const date = new Date(`${s}T00:00:00.000Z`);
      return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(s);
    }, `The ${field} date is not a real date.`);

/** GET /audit and /audit.csv: the filters, and the page (events before this seq). */
export const AuditLogQuerySchema = z
  .object({
    action: optional(
      z
        .string({ message: 'The action filter takes one value.' })
        .trim()
        .max(100, 'The action filter is at most 100 characters.')
        .regex(
          /^[\w.:-]+\*?$/,
          'The action filter is an action such as auth.login, or a prefix such as auth.*',
        ),
    ),
    actor: optional(id('actor')),
    subjectType: optional(id('subject type')),
    subjectId: optional(id('subject id')),
    from: optional(day('from')),
    to: optional(day('to')),
    before: optional(
      z
        .string({ message: 'The page link is not valid; start from the newest events.' })
        .regex(/^[1-9]\d{0,17}$/, 'The page link is not valid; start from the newest events.'),
    ),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, {
    message: 'The from date must be on or before the to date.',
    path: ['from'],
  });
export type AuditLogQuery = z.infer<typeof AuditLogQuerySchema>;

export { parseDto } from '../../common/validation/parse-dto';
