/** Why an OpenID Connect callback was refused: recorded in the audit log, never shown. */
export type OidcRefusalReason =
  | 'state'
  | 'login_expired'
  | 'replay'
  | 'issuer'
  | 'nonce'
  | 'audience'
  | 'signature'
  | 'expired'
  | 'provider_error'
  | 'code_rejected'
  | 'invalid_response'
  | 'no_email'
  | 'email_unverified'
  | 'bidi_control';

export class OidcLoginRefused extends Error {
  constructor(
    readonly reason: OidcRefusalReason,
    detail?: string,
  ) {
    super(detail ? `${reason}: ${detail}` : reason);
    this.name = 'OidcLoginRefused';
  }
}

function causes(error: unknown): Array<{ message: string; code?: unknown; cause?: unknown }> {
  const chain = [];
  for (let e = error, depth = 0; e instanceof Error && depth < 5; depth++) {
    chain.push(e as Error & { code?: unknown });
    e = e.cause;
  }
  return chain;
}

/**
 * openid-client's (oauth4webapi's) refusals mapped to audit reasons, by the error's code and the
 * claim it names: the library checks the ID token's signature, `iss`, `aud`, `exp`/`iat`,
 * `nonce`, and the authorization response's `state` and `iss` (RFC 9207 §2.4).
 */
export function oidcReasonOf(error: unknown): OidcRefusalReason {
  if (error instanceof OidcLoginRefused) return error.reason;
  for (const e of causes(error)) {
    const claim = (e.cause as { claim?: unknown } | undefined)?.claim;
    if (claim === 'nonce') return 'nonce';
    if (claim === 'aud' || claim === 'azp') return 'audience';
    if (claim === 'iss') return 'issuer';
    if (claim === 'exp' || claim === 'iat' || claim === 'auth_time') return 'expired';
    if (e.code === 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED') return 'expired';
    if (e.code === 'OAUTH_AUTHORIZATION_RESPONSE_ERROR') return 'provider_error';
    if (e.code === 'OAUTH_RESPONSE_BODY_ERROR') return 'code_rejected';
    if (/signature/i.test(e.message)) return 'signature';
    if (/"iss"/.test(e.message)) return 'issuer';
    if (/"state"/.test(e.message)) return 'state';
  }
  return 'invalid_response';
}
