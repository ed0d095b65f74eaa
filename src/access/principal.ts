import type { Permission } from './permission';
import type { Role } from './role';

/** Who is asking, as the session middleware establishes it. Ids only: no names or emails. */
export interface Principal {
  readonly personId: string;
  readonly sessionId: string;
  readonly roles: readonly Role[];
  readonly permissions: ReadonlySet<Permission>;
  /** TOTP was verified in this session (admins need it for their permissions). */
  readonly totpVerified: boolean;
  /** The token forms in this session must echo back (CSRF). */
  readonly csrfToken: string;
}

/** The request as the app's own middleware leaves it. */
export interface AttestRequest {
  principal?: Principal;
}
