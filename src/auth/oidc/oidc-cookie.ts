import { Inject, Injectable } from '@nestjs/common';
import type { CookieOptions, Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { OIDC_LOGIN_WINDOW_MS } from './oidc-login-state';

/**
 * The cookie that carries a pending OpenID Connect login. SameSite=Lax is enough: the provider
 * returns the browser with a top-level GET, which carries Lax cookies. Over https it takes the
 * `__Host-` prefix (secure, no Domain, path /).
 */
@Injectable()
export class OidcCookie {
  readonly name: string;
  private readonly secure: boolean;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.secure = config.publicUrl.startsWith('https://');
    this.name = this.secure ? '__Host-attest_oidc' : 'attest_oidc';
  }

  private options(): CookieOptions {
    return { httpOnly: true, secure: this.secure, path: '/', sameSite: 'lax' };
  }

  set(res: Response, value: string): void {
    res.cookie(this.name, value, { ...this.options(), maxAge: OIDC_LOGIN_WINDOW_MS });
  }

  read(req: Request): unknown {
    return (req.cookies as Record<string, unknown> | undefined)?.[this.name];
  }

  clear(res: Response): void {
    res.clearCookie(this.name, this.options());
  }
}
