import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type * as OpenIdClient from 'openid-client' with { 'resolution-mode': 'import' };
import { OperatorError } from '../../common/errors/operator.error';
import type { OidcConfig } from '../../config/app-config';

export const OIDC_CLIENT = Symbol('OIDC_CLIENT');

type Library = typeof OpenIdClient;

/** openid-client is ESM only; Attest is CommonJS, so it is loaded with a dynamic import. */
const loadLibrary = (): Promise<Library> => import('openid-client');

/** The checks a callback must pass, as kept since the login started. */
export interface PendingChecks {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
}

/** The ID token's claims, after openid-client has verified it. */
export type IdTokenClaims = Readonly<Record<string, unknown>> & {
  readonly iss: string;
  readonly sub: string;
};

/** What the provider's discovery document says, for the configuration page. */
export interface OidcProviderView {
  readonly issuer: string;
  readonly authorizationEndpoint: string;
}

/** The WebCrypto parameters for each key type; oauth4webapi names the JWS `alg` from them. */
function signingParameters(key: KeyObject): Parameters<KeyObject['toCryptoKey']>[0] {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    case 'ec': {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      if (curve === 'prime256v1') return { name: 'ECDSA', namedCurve: 'P-256' };
      if (curve === 'secp384r1') return { name: 'ECDSA', namedCurve: 'P-384' };
      break;
    }
    case 'ed25519':
      return { name: 'Ed25519' };
  }
  throw new OperatorError(
    'OIDC_CLIENT_PRIVATE_KEY_FILE must hold an RSA, EC P-256/P-384 or Ed25519 private key.',
  );
}

async function clientAuthentication(
  lib: Library,
  oidc: OidcConfig,
): Promise<OpenIdClient.ClientAuth> {
  switch (oidc.clientAuthMethod) {
    case 'client_secret_basic':
      return lib.ClientSecretBasic(oidc.clientSecret);
    case 'client_secret_post':
      return lib.ClientSecretPost(oidc.clientSecret);
    case 'private_key_jwt': {
      const pem = await readFile(oidc.clientPrivateKeyFile!, 'utf8').catch(() => {
        throw new OperatorError('OIDC_CLIENT_PRIVATE_KEY_FILE is not a readable file.');
      });
      let key: KeyObject;
      try {
        key = createPrivateKey(pem);
      } catch {
        throw new OperatorError('OIDC_CLIENT_PRIVATE_KEY_FILE does not hold a PEM private key.');
      }
      // Node's webcrypto.CryptoKey is the global CryptoKey; only the lib typings differ.
      const cryptoKey = key.toCryptoKey(signingParameters(key), false, [
        'sign',
      ]) as unknown as CryptoKey;
      return lib.PrivateKeyJwt({ key: cryptoKey, kid: oidc.clientKeyId });
    }
  }
}

/**
 * Attest's client at the OpenID Provider, through openid-client (authorization code flow with
 * PKCE S256, RFC 7636). openid-client verifies the ID token's `iss`, `aud`, `azp`, `exp`, `iat`
 * and `nonce` (OpenID Connect Core §3.1.3.7), its signature against the provider's JWKS once
 * non-repudiation checks are on (see discover), and the authorization response's `state` and
 * `iss` (RFC 9207). Nothing here turns any of those off.
 */
export class OidcClient {
  private constructor(
    private readonly lib: Library,
    private readonly configuration: OpenIdClient.Configuration,
    private readonly oidc: OidcConfig,
  ) {}

  /** Discovers the provider (OpenID Connect Discovery 1.0 §4) once, at start-up. */
  static async discover(oidc: OidcConfig): Promise<OidcClient> {
    const lib = await loadLibrary();
    const auth = await clientAuthentication(lib, oidc);
    const configuration = await lib
      .discovery(
        new URL(oidc.issuer),
        oidc.clientId,
        { redirect_uris: [oidc.redirectUri], response_types: ['code'] },
        auth,
        {
          timeout: 10,
          execute: [
            // Off by default: openid-client trusts TLS for an ID token from the token endpoint
            // (OpenID Connect Core §3.1.3.7 step 6). Attest keeps the sign-in as evidence for
            // what the person signs, so the ID token's JWS signature is verified against the
            // provider's JWKS as well (non-repudiation).
            lib.enableNonRepudiationChecks,
            ...(oidc.allowInsecureIssuer ? [lib.allowInsecureRequests] : []),
          ],
        },
      )
      .catch((error: unknown) => {
        const why = error instanceof Error ? error.message : 'unknown error';
        throw new OperatorError(
          `OIDC_ISSUER: OpenID Connect discovery failed (${why}). Check the issuer URL and that ${oidc.issuer}/.well-known/openid-configuration answers.`,
        );
      });
    return new OidcClient(lib, configuration, oidc);
  }

  /** Fresh, unguessable values for one login (RFC 7636 §4.1; OpenID Connect Core §15.5.2). */
  randomChecks(): PendingChecks {
    return {
      state: this.lib.randomState(),
      nonce: this.lib.randomNonce(),
      codeVerifier: this.lib.randomPKCECodeVerifier(),
    };
  }

  async authorizationUrl(checks: PendingChecks): Promise<URL> {
    return this.lib.buildAuthorizationUrl(this.configuration, {
      redirect_uri: this.oidc.redirectUri,
      scope: this.oidc.scopes,
      state: checks.state,
      nonce: checks.nonce,
      code_challenge: await this.lib.calculatePKCECodeChallenge(checks.codeVerifier),
      code_challenge_method: 'S256',
    });
  }

  /**
   * Redeems the code at the token endpoint and returns the verified ID token's claims. Throws
   * openid-client's errors as they are; `oidcReasonOf` names them for the audit log.
   */
  async redeem(callbackUrl: URL, checks: PendingChecks): Promise<IdTokenClaims> {
    const tokens = await this.lib.authorizationCodeGrant(this.configuration, callbackUrl, {
      expectedState: checks.state,
      expectedNonce: checks.nonce,
      pkceCodeVerifier: checks.codeVerifier,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) throw new Error('no ID token in the token response');
    return claims as unknown as IdTokenClaims;
  }

  provider(): OidcProviderView {
    const metadata = this.configuration.serverMetadata();
    return {
      issuer: metadata.issuer,
      authorizationEndpoint: metadata.authorization_endpoint ?? '',
    };
  }
}
