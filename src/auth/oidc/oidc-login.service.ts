import { timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { DataCipher } from '../../common/crypto/data-cipher';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { SamlReplayRepository } from '../saml/saml-replay.repository';
import type { SsoLogin } from '../saml/sso-identity';
import { sha256Hex } from '../sessions/auth-cookies';
import { OIDC_CLIENT, type OidcClient } from './oidc-client';
import { ssoIdentityFromClaims } from './oidc-identity';
import { OidcLoginRefused, oidcReasonOf } from './oidc-login.errors';
import { OIDC_LOGIN_WINDOW_MS, openPendingLogin, sealPendingLogin } from './oidc-login-state';

/** A callback's query string beyond this is no provider's answer. */
const MAX_QUERY_LENGTH = 8192;

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** OpenID Connect sign-in: starts the authorization code flow, and checks its callback. */
@Injectable()
export class OidcLoginService {
  constructor(
    @Inject(OIDC_CLIENT) private readonly client: OidcClient,
    private readonly cipher: DataCipher,
    private readonly replay: SamlReplayRepository,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The provider's authorization URL, and the sealed pending login for the browser's cookie. */
  async start(returnTo: string): Promise<{ redirect: string; pendingLogin: string }> {
    const checks = this.client.randomChecks();
    const now = this.clock.now();
    // Spent states are kept only until their login could have expired anyway, as SAML's are.
    await this.replay.purgeExpired(now);
    const expiresAt = now.getTime() + OIDC_LOGIN_WINDOW_MS;
    const pendingLogin = sealPendingLogin(this.cipher, { ...checks, returnTo, expiresAt });
    return { redirect: (await this.client.authorizationUrl(checks)).href, pendingLogin };
  }

  /**
   * Checks a callback against the browser's pending login, once: the `state` must be the one
   * this browser was given (RFC 6749 §10.12), unexpired and never seen before; then
   * openid-client redeems the code with the PKCE verifier and verifies the ID token.
   */
  async finish(queryString: string, pendingCookie: unknown): Promise<SsoLogin> {
    if (queryString.length > MAX_QUERY_LENGTH) throw new OidcLoginRefused('invalid_response');
    const pending = openPendingLogin(this.cipher, pendingCookie);
    const state = new URLSearchParams(queryString).get('state');
    if (!pending || state === null || !sameText(state, pending.state)) {
      throw new OidcLoginRefused('state');
    }
    const now = this.clock.now();
    if (pending.expiresAt <= now.getTime()) throw new OidcLoginRefused('login_expired');
    // Single use, whatever the cookie: a second callback with this state is a replay.
    const used = await this.replay.recordAssertionUse(
      `oidc-state:${sha256Hex(pending.state)}`,
      new Date(pending.expiresAt),
      now,
    );
    if (!used) throw new OidcLoginRefused('replay');
    const oidc = this.config.oidc!;
    // The registered redirect URI, not the request's own URL: behind a proxy they differ.
    const callbackUrl = new URL(oidc.redirectUri);
    callbackUrl.search = queryString;
    const claims = await this.client.redeem(callbackUrl, pending).catch((error: unknown) => {
      throw new OidcLoginRefused(oidcReasonOf(error));
    });
    const identity = ssoIdentityFromClaims(claims, oidc, this.config.saml.roleMap);
    return { identity, returnTo: pending.returnTo };
  }
}
