import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, Request, Response } from 'express';

/** Who is on the other end of the request an audit event is recorded in. */
export interface AuditClient {
  /** The client's address after the trusted proxies (TRUST_PROXY), as Express reports it. */
  readonly ip: string | undefined;
  readonly userAgent: string | undefined;
  readonly requestId: string | undefined;
}

const requests = new AsyncLocalStorage<Request & { id?: unknown }>();

/**
 * Keeps the request at hand for everything it causes, so that every audit event recorded while
 * serving it carries its client, whichever service records it. Read lazily: the request id is
 * assigned by the logger's middleware, which runs after this one.
 */
export function auditClientMiddleware(req: Request, _res: Response, next: NextFunction): void {
  requests.run(req, next);
}

/** The client of the request being served, or undefined outside one (jobs, the CLI). */
export function currentAuditClient(): AuditClient | undefined {
  const req = requests.getStore();
  if (!req) return undefined;
  return {
    ip: req.ip,
    userAgent: req.get('user-agent'),
    requestId:
      typeof req.id === 'string' || typeof req.id === 'number' ? String(req.id) : undefined,
  };
}
