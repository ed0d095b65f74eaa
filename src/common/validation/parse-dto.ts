import { BadRequestException } from '@nestjs/common';
import type { z } from 'zod';

/** Parses input or answers 400 with the first problem, phrased for the person in the browser. */
export function parseDto<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input ?? {});
  if (!parsed.success) throw new BadRequestException(parsed.error.issues[0]?.message);
  return parsed.data;
}
