import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { navigationFor } from '../../access/navigation';
import type { AttestRequest } from '../../access/principal';
import { AuthCookies } from './auth-cookies';
import { SessionsService } from './sessions.service';

/**
 * Turns the session cookie into `req.principal`, clearing a cookie whose session is over, and
 * gives the page header its navigation.
 */
@Injectable()
export class SessionMiddleware implements NestMiddleware {
  constructor(
    private readonly sessions: SessionsService,
    private readonly cookies: AuthCookies,
  ) {}

  async use(req: Request & AttestRequest, res: Response, next: NextFunction): Promise<void> {
    try {
      const token = this.cookies.read(req, this.cookies.sessionName);
      if (token) {
        const principal = await this.sessions.resolve(token);
        if (principal) req.principal = principal;
        else this.cookies.clear(res, this.cookies.sessionName);
      }
      // Every page's header, error pages included, shows what this person may open.
      // Nest mounts middleware on a path, so req.path is relative to it; the original URL is not.
      const path = req.originalUrl.split('?')[0];
      res.locals.navigation = navigationFor(req.principal, path);
      next();
    } catch (error) {
      next(error);
    }
  }
}
