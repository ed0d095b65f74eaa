import { ForbiddenException, Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { CookieOptions, NextFunction, Request, Response } from 'express';
import { navigationFor } from '../access/navigation';
import type { AttestRequest } from '../access/principal';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { SigningLinksService } from './signing-links.service';

/** The link session's cookie: scoped to /leaving, so that it is never sent anywhere else. */
@Injectable()
export class LeaverCookie {
  readonly name: string;
  private readonly secure: boolean;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.secure = config.publicUrl.startsWith('https://');
    this.name = this.secure ? '__Secure-attest_leaving' : 'attest_leaving';
  }

  private options(): CookieOptions {
    return { httpOnly: true, secure: this.secure, sameSite: 'strict', path: '/leaving' };
  }

  read(req: Request): string | undefined {
    const value = (req.cookies as Record<string, unknown> | undefined)?.[this.name];
    return typeof value === 'string' && value.length <= 300 ? value : undefined;
  }

  set(res: Response, value: string): void {
    res.cookie(this.name, value, this.options());
  }

  clear(res: Response): void {
    res.clearCookie(this.name, this.options());
  }
}

/** The pages under /leaving anyone may open: a link's landing page, and the thank-you page. */
const PUBLIC_LEAVING_PATH = /^\/leaving\/(links\/[^/]+|done)\/?$/;

/**
 * Under /leaving only, the principal is the link session's, or nobody: a signed-in person's
 * own session does not act here, and a link's session acts nowhere else.
 */
@Injectable()
export class LeaverSessionMiddleware implements NestMiddleware {
  constructor(
    private readonly links: SigningLinksService,
    private readonly cookie: LeaverCookie,
  ) {}

  async use(req: Request & AttestRequest, res: Response, next: NextFunction): Promise<void> {
    try {
      const value = this.cookie.read(req);
      const principal = value ? await this.links.resolve(value) : undefined;
      if (value && !principal) this.cookie.clear(res);
      // Someone signed in with their own session, without a link, on a page only a link
      // opens: refused in words. Sending them to sign in would bring them back here, forever.
      const signedIn = req.principal !== undefined;
      req.principal = principal;
      if (!principal && signedIn && !PUBLIC_LEAVING_PATH.test(req.originalUrl.split('?')[0])) {
        throw new ForbiddenException(
          'This page opens only from the one-time signing link HR gave to a leaver.',
        );
      }
      res.locals.navigation = navigationFor(principal, req.originalUrl.split('?')[0]);
      next();
    } catch (error) {
      next(error);
    }
  }
}
