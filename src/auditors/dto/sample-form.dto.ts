import { z } from 'zod';
import { Population } from '../population';
import { SEED_PATTERN } from '../seeded-sample';

/** Samples are for testing controls by hand: a few hundred at most in practice. */
export const MAX_SAMPLE_SIZE = 10_000;

/**
 * The usual sample when the auditor names no size: 25 is the common minimum for a control
 * operating many times a year (AICPA Audit Guide: Audit Sampling, table of sample sizes for
 * tests of controls); a smaller population is sampled whole.
 */
export const DEFAULT_SAMPLE_SIZE = 25;

const emptyIsAbsent = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** POST /auditors/samples. The period is checked by parsePeriod, with the same messages. */
export const SampleFormSchema = z.object({
  population: z.enum(Population, {
    message: 'Choose a population: new hires, terminations or active.',
  }),
  from: z.unknown(),
  to: z.unknown(),
  /** Absent: {@link DEFAULT_SAMPLE_SIZE}, or the whole population when it is smaller. */
  size: z.preprocess(
    emptyIsAbsent,
    z.coerce
      .number({ message: 'Enter the sample size as a whole number, such as 25.' })
      .int('Enter the sample size as a whole number, such as 25.')
      .min(1, 'Sample at least one person.')
      .max(MAX_SAMPLE_SIZE, `Sample at most ${MAX_SAMPLE_SIZE.toLocaleString('en')} people.`)
      .optional(),
  ),
  seed: z.preprocess(
    emptyIsAbsent,
    z
      .string({ message: 'The seed is text.' })
      .trim()
      .regex(
        SEED_PATTERN,
        'A seed is 1 to 128 letters, digits, dots, dashes or underscores; leave it empty for a random one.',
      )
      .optional(),
  ),
});
export type SampleFormDto = z.infer<typeof SampleFormSchema>;
