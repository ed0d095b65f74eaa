import type { z } from 'zod';
import type { InputProblem } from '../background-checks.errors';

/** Every issue zod found, as `{ path, message }` with a dotted path (`body` for the root). */
export function problemsOf(error: z.ZodError): InputProblem[] {
  return error.issues.map((issue) => ({
    path: issue.path.length > 0 ? issue.path.map(String).join('.') : 'body',
    message: issue.message,
  }));
}
