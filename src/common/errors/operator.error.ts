/**
 * A problem the person running Attest fixes (configuration, a held lock, a schema that is
 * behind). Its message says what to do; it is printed without a stack trace.
 */
export class OperatorError extends Error {}

/** Hides the password in any connection URL, so a start-up failure never prints it. */
export function maskCredentials(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*):[^@/\s]*@/gi, '$1:***@');
}

/** The one message an operator sees when start-up or a command fails. */
export function describeFailure(error: unknown, context = 'Attest failed to start.'): string {
  if (error instanceof OperatorError) return error.message;
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return `${context} ${maskCredentials(text)}`;
}
