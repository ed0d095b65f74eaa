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

/**
 * An error's type and where it came from, without its message: driver and library messages
 * quote the offending values ("Key (email)=(…) already exists").
 */
export function serializeError(error: unknown): { type: string; stack?: string } {
  if (!(error instanceof Error)) return { type: typeof error };
  const frames = error.stack?.split('\n').slice(1).join('\n');
  return { type: error.name, stack: frames };
}
