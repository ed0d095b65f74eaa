import express, { type NextFunction, type Request, type Response } from 'express';
import { sendScimError } from './scim-error.filter';

/** RFC 7644 does not bound a request; 1 MiB holds a group PATCH adding thousands of members. */
export const SCIM_BODY_LIMIT = 1024 * 1024;

/** RFC 7644 §3.1: clients send application/scim+json; many send application/json. */
const JSON_TYPES = ['application/scim+json', 'application/json'];

const parseJson = express.json({ type: JSON_TYPES, limit: SCIM_BODY_LIMIT, strict: true });

/**
 * The body of a SCIM request, read before the app's own 100 kB JSON parser (which then skips
 * it): a body of another media type is refused with 415, one over the limit with 413, one that
 * is not JSON with 400 invalidSyntax, each as a SCIM Error (RFC 7644 §3.12) and before
 * anything is read from the database.
 */
export function scimBodyMiddleware(req: Request, res: Response, next: NextFunction): void {
  const hasBody =
    Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'];
  if (hasBody && !req.is(JSON_TYPES)) {
    sendScimError(
      res,
      415,
      'Send the body as application/scim+json (RFC 7644 §3.1) or application/json.',
    );
    return;
  }
  parseJson(req, res, (error?: unknown) => {
    if (!error) {
      next();
      return;
    }
    const type = (error as { type?: string }).type;
    if (type === 'entity.too.large') {
      sendScimError(res, 413, `The request body is over ${SCIM_BODY_LIMIT / 1024 / 1024} MiB.`);
    } else if (type === 'entity.parse.failed') {
      sendScimError(res, 400, 'The request body is not valid JSON.', 'invalidSyntax');
    } else {
      sendScimError(res, 400, 'The request body could not be read.', 'invalidSyntax');
    }
  });
}
