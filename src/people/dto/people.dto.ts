import { z } from 'zod';
import { PersonStatus } from '../person.entity';

/** An empty form field means "no filter". */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    schema.optional(),
  );

/** GET /people: the search, the list's filters and page. */
export const ListPeopleSchema = z.object({
  /** Words of a name, an email or an employee number, in any case. */
  q: optional(z.string({ message: 'Search for one name, email or number.' }).trim().max(200)),
  /** `open`: only people whose onboarding is not finished (the /onboarding headline). */
  onboarding: optional(z.enum(['open'], { message: 'Choose people onboarding or everyone.' })),
  startMonth: optional(
    z
      .string({ message: 'Choose one start month.' })
      .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'A start month looks like 2026-03.'),
  ),
  department: optional(z.string({ message: 'Choose one department.' }).trim().max(200)),
  country: optional(
    z
      .string({ message: 'Choose one country.' })
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{2}$/, 'A country is a two-letter code, like US.'),
  ),
  status: optional(z.enum(PersonStatus, { message: 'Choose a status from the list.' })),
  page: optional(z.coerce.number({ message: 'The page is a number.' }).int().min(1).max(1e6)),
});
export type ListPeopleDto = z.infer<typeof ListPeopleSchema>;

/**
 * POST /people/:id: the HR fields of the edit form, as typed; the service checks them. The form
 * sends every field, so a missing one is treated as emptied.
 */
const field = z.string({ message: 'Each field takes one value.' }).max(1000).optional();
export const EditPersonSchema = z.object({
  full_name: field,
  employee_number: field,
  department: field,
  job_title: field,
  manager_email: field,
  employment_type: field,
  country: field,
  region: field,
  start_date: field,
  end_date: field,
  status: field,
});
export type EditPersonDto = z.infer<typeof EditPersonSchema>;

export { parseDto } from '../../common/validation/parse-dto';
