import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { SignInRequired, StepUpRequired } from '../../access/access.errors';

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Sign-in required',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflict',
  413: 'Too large',
  422: 'Invalid input',
  429: 'Too many requests',
  503: 'Temporarily unavailable',
};

const MESSAGES: Record<number, string> = {
  401: 'Please sign in to continue.',
  403: 'You do not have access to this page. Ask an administrator if you think you should.',
  404: 'There is nothing here. Check the address, or go back to your home page.',
  429: 'Too many attempts. Wait a minute and try again.',
};

interface ErrorBody {
  status: number;
  error: string;
  message: string;
  details?: unknown;
  requestId: string;
}

function errorCode(status: number): string {
  return (TITLES[status] ?? (status >= 500 ? 'Server error' : 'Error'))
    .toLowerCase()
    .replace(/[^a-z]+/g, '_');
}

/** Whether the client gets JSON (APIs, probes, JSON clients) rather than an HTML page. */
function wantsJson(req: Request): boolean {
  return (
    req.path.startsWith('/api/') ||
    req.path === '/healthz' ||
    req.path === '/readyz' ||
    req.accepts(['html', 'json']) === 'json'
  );
}

/**
 * Turns every error into a response a person can act on. A 500 never shows internals: it says
 * what to do and gives the request id, and the log line carries the same id.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  /** `signInPath`: the configured protocol's login route (SAML or OpenID Connect). */
  constructor(private readonly signInPath = '/auth/saml/login') {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request & { id?: string }>();
    const res = http.getResponse<Response>();
    const status =
      exception instanceof HttpException ? exception.getStatus() : HttpStatus.INTERNAL_SERVER_ERROR;
    const requestId = String(req.id ?? '');
    const body: ErrorBody = {
      status,
      error: errorCode(status),
      message: this.messageFor(exception, status, requestId),
      requestId,
    };
    if (exception instanceof HttpException && status < 500) {
      const response = exception.getResponse();
      if (typeof response === 'object' && response !== null && 'details' in response) {
        body.details = (response as { details: unknown }).details;
      }
    }
    if (status >= 500) {
      // The logger's err serializer keeps the type and stack frames and drops the message.
      this.logger.error({ err: exception, status, msg: 'unhandled error' });
    }
    if (res.headersSent) return;
    if (!wantsJson(req) && req.method === 'GET') {
      // Browsers are sent where they can fix it: to sign in, or to verify their authenticator.
      if (exception instanceof SignInRequired) {
        res.redirect(302, `${this.signInPath}?returnTo=${encodeURIComponent(exception.returnTo)}`);
        return;
      }
      if (exception instanceof StepUpRequired) {
        res.redirect(302, '/auth/totp');
        return;
      }
    }
    res.status(status);
    if (wantsJson(req)) {
      res.json(body);
      return;
    }
    res.render('errors/error', { title: TITLES[status] ?? 'Something went wrong', ...body });
  }

  private messageFor(exception: unknown, status: number, requestId: string): string {
    if (status >= 500 && status !== 503) {
      return `Something went wrong on our side. Try again; if it keeps happening, give your administrator this reference: ${requestId}.`;
    }
    if (exception instanceof HttpException) {
      const response = exception.getResponse();
      const explicit =
        typeof response === 'string'
          ? response
          : typeof (response as { message?: unknown }).message === 'string'
            ? (response as { message: string }).message
            : undefined;
      // Nest's built-in messages ("Forbidden resource") are replaced by ones that say what to do.
      if (explicit && !/^(Forbidden resource|Not Found|Cannot \w+ \/)/.test(explicit)) {
        return explicit;
      }
    }
    return MESSAGES[status] ?? TITLES[status] ?? 'The request could not be completed.';
  }
}
