import { createHash, randomBytes } from 'node:crypto';
import type { CookieOptions, Request, Response } from 'express';
import type { AppConfig } from '../../config/app-config';

/** Cookie names and options. Over https the session cookie takes the `__Host-` prefix. */
export class AuthCookies {
  readonly secure: boolean;
  readonly sessionName: string;
  readonly loginName: string;

  constructor(config: AppConfig) {
    this.secure = config.publicUrl.startsWith('https://');
    this.sessionName = this.secure ? '__Host-attest_session' : 'attest_session';
    this.loginName = this.secure ? '__Host-attest_login' : 'attest_login';
  }

  private base(): CookieOptions {
    return { httpOnly: true, secure: this.secure, path: '/' };
  }

  /** Lax: sent on top-level navigation, never on cross-site sub-requests or form posts. */
  sessionOptions(): CookieOptions {
    return { ...this.base(), sameSite: 'lax' };
  }

  /**
   * The login cookie binds an AuthnRequest to this browser. The IdP answers with a cross-site
   * POST, which carries only SameSite=None cookies, and those must be Secure: over plain http
   * (local use, where the demo IdP is same-site) it stays Lax.
   */
  loginOptions(): CookieOptions {
    return { ...this.base(), sameSite: this.secure ? 'none' : 'lax', maxAge: 15 * 60_000 };
  }

  read(req: Request, name: string): string | undefined {
    const value = (req.cookies as Record<string, unknown> | undefined)?.[name];
    return typeof value === 'string' && /^[A-Za-z0-9_-]{20,100}$/.test(value) ? value : undefined;
  }

  /** The browser's login binding, created when absent. */
  loginBinding(req: Request, res: Response): string {
    const existing = this.read(req, this.loginName);
    if (existing) return existing;
    const fresh = newToken();
    res.cookie(this.loginName, fresh, this.loginOptions());
    return fresh;
  }

  clear(res: Response, name: string): void {
    res.clearCookie(name, this.base());
  }
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
