import type { DataCipher } from '../../common/crypto/data-cipher';
import type { PendingChecks } from './oidc-client';

/** How long a started login may take at the provider. */
export const OIDC_LOGIN_WINDOW_MS = 10 * 60_000;

const CONTEXT = 'oidc-login';
const MAX_COOKIE_LENGTH = 4000;

/** A login between its start and its callback: the checks, where to go, and until when. */
export interface PendingLogin extends PendingChecks {
  readonly returnTo: string;
  readonly expiresAt: number;
}

/**
 * The pending login travels in an HttpOnly cookie, encrypted and authenticated under
 * DATA_ENCRYPTION_KEY (AES-256-GCM): the browser can neither read the PKCE verifier and nonce
 * nor change the return path. It is single-use by the replay table, not by the cookie alone.
 */
export function sealPendingLogin(cipher: DataCipher, login: PendingLogin): string {
  return cipher.encrypt(
    JSON.stringify([login.state, login.nonce, login.codeVerifier, login.returnTo, login.expiresAt]),
    CONTEXT,
  );
}

/** The pending login in a cookie, or undefined when it is absent, altered or malformed. */
export function openPendingLogin(cipher: DataCipher, cookie: unknown): PendingLogin | undefined {
  if (typeof cookie !== 'string' || cookie.length > MAX_COOKIE_LENGTH) return undefined;
  let fields: unknown;
  try {
    fields = JSON.parse(cipher.decrypt(cookie, CONTEXT));
  } catch {
    return undefined;
  }
  if (!Array.isArray(fields) || fields.length !== 5) return undefined;
  const [state, nonce, codeVerifier, returnTo, expiresAt] = fields as unknown[];
  if (
    typeof state !== 'string' ||
    typeof nonce !== 'string' ||
    typeof codeVerifier !== 'string' ||
    typeof returnTo !== 'string' ||
    typeof expiresAt !== 'number'
  ) {
    return undefined;
  }
  return { state, nonce, codeVerifier, returnTo, expiresAt };
}
