import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Logs carry ids only. Bodies, headers (cookies, user agents, forwarded addresses), client IPs
 * and query strings (which may hold an email or a name) never reach a log line.
 */
export const REDACTED_PATHS = [
  'email',
  'name',
  'fullName',
  'displayName',
  'ip',
  'password',
  'secret',
  'token',
  '*.email',
  '*.name',
  '*.fullName',
  '*.displayName',
  '*.ip',
  '*.password',
  '*.secret',
  '*.token',
  'req.headers',
  'req.remoteAddress',
  'req.body',
];

/** Keeps the path and drops the query string, which may carry personal data. */
export function pathOnly(url: string | undefined): string {
  if (!url) return '';
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

export interface LoggedRequest {
  id: unknown;
  method: string | undefined;
  path: string;
}

export function serializeRequest(req: IncomingMessage & { id?: unknown }): LoggedRequest {
  return { id: req.id, method: req.method, path: pathOnly(req.url) };
}

export function serializeResponse(res: ServerResponse): { statusCode: number } {
  return { statusCode: res.statusCode };
}

/** Only the "at …" frames of a stack: its first lines repeat the message. */
function framesOf(stack: unknown): string | undefined {
  if (typeof stack !== 'string') return undefined;
  return stack
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .join('\n');
}

/**
 * An error's type and where it came from, without its message or properties: driver and library
 * messages quote the offending values ("Key (email)=(…) already exists"). pino-http hands this
 * serializer an already flattened error ({ type, message, stack, … }), so both shapes are read.
 */
export function serializeError(error: unknown): { type: string; stack?: string } {
  if (error instanceof Error) return { type: error.name, stack: framesOf(error.stack) };
  if (typeof error === 'object' && error !== null) {
    const flat = error as { type?: unknown; stack?: unknown };
    return {
      type: typeof flat.type === 'string' ? flat.type : 'Error',
      stack: framesOf(flat.stack),
    };
  }
  return { type: typeof error };
}
