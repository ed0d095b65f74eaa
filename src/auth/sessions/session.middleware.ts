import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { AttestRequest } from '../../access/principal';
import { AuthCookies } from './auth-cookies';
import { SessionsService } from './sessions.service';

/** Turns the session cookie into `req.principal`, clearing a cookie whose session is over. */
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
      next();
    } catch (error) {
      next(error);
    }
  }
}
