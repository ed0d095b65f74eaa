import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { ScimError, scimErrorBody } from './scim.errors';

export const SCIM_CONTENT_TYPE = 'application/scim+json';

/** Words for the statuses other layers raise (guards, throttler, Nest's pipes). */
const DETAIL: Record<number, string> = {
  401: 'Send a valid SCIM API token as "Authorization: Bearer att_…" (attest token create --role scim).',
  403: 'This API token may not use SCIM: create one with --role scim.',
  404: 'There is no such SCIM resource or endpoint.',
  405: 'This SCIM endpoint does not support that method.',
  413: 'The request body is over 1 MiB.',
  429: 'Too many SCIM requests. Wait a minute and try again.',
};

/** Sends an RFC 7644 §3.12 Error resource with the SCIM media type (RFC 7644 §8.1). */
export function sendScimError(
  res: Response,
  status: number,
  detail: string,
  scimType?: ScimError['scimType'],
): void {
  res
    .status(status)
    .type(SCIM_CONTENT_TYPE)
    .send(JSON.stringify(scimErrorBody(status, detail, scimType)));
}

/**
 * Every failure under /scim/v2 as a SCIM Error resource, never the app's HTML or JSON error
 * shape: identity providers parse `status`, `scimType` and `detail`. A 500 shows no internals.
 */
@Catch()
export class ScimErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ScimError');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const req = host.switchToHttp().getRequest<Request & { id?: string }>();
    if (res.headersSent) return;
    if (exception instanceof ScimError) {
      sendScimError(res, exception.getStatus(), exception.detail, exception.scimType);
      return;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status === HttpStatus.BAD_REQUEST) {
        const message = exception.message;
        sendScimError(res, status, message, 'invalidValue');
        return;
      }
      sendScimError(res, status, DETAIL[status] ?? exception.message);
      return;
    }
    this.logger.error({ err: exception, status: 500, msg: 'unhandled SCIM error' });
    sendScimError(
      res,
      500,
      `Something went wrong on our side. Try again; if it keeps happening, give your Attest administrator this reference: ${String(req.id ?? '')}.`,
    );
  }
}

/**
 * The app's error filter, except under /scim/: there, what no SCIM controller handles (an
 * endpoint Attest does not serve, such as /Bulk) is answered as a SCIM Error resource too.
 */
export function withScimErrors(fallback: ExceptionFilter): ExceptionFilter {
  const scim = new ScimErrorFilter();
  return {
    catch(exception: unknown, host: ArgumentsHost): void {
      const path = host.switchToHttp().getRequest<Request>().path;
      const filter = path === '/scim' || path.startsWith('/scim/') ? scim : fallback;
      filter.catch(exception, host);
    },
  };
}
