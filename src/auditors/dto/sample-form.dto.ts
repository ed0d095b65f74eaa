import { z } from 'zod';
import { Population } from '../population';
import { SEED_PATTERN } from '../seeded-sample';

/** Samples are for testing controls by hand: a few hundred at most in practice. */
export const MAX_SAMPLE_SIZE = 10_000;

/** POST /auditors/samples. The period is checked by parsePeriod, with the same messages. */
export const SampleFormSchema = z.object({
  population: z.enum(Population, {
    message: 'Choose a population: new hires, terminations or active.',
  }),
  from: z.unknown(),
  to: z.unknown(),
  size: z.coerce
    .number({ message: 'The sample size is a whole number, such as 25.' })
    .int('The sample size is a whole number, such as 25.')
    .min(1, 'Sample at least one person.')
    .max(MAX_SAMPLE_SIZE, `Sample at most ${MAX_SAMPLE_SIZE.toLocaleString('en')} people.`),
  seed: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
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
