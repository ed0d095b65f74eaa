import { Inject, Injectable } from '@nestjs/common';
import { SAML } from '@node-saml/node-saml';
import type { PassportSamlConfig } from '@node-saml/passport-saml';
import { Clock } from '../../common/clock';
import { sha256Hex } from '../sessions/auth-cookies';
import { inflateRedirectMessage, parseRedirectAuthnRequest } from './authn-request.parser';
import { parseSamlXml } from './saml-xml';
import { IDENTITY_PROVIDER, type IdentityProvider } from './identity-provider';
import { SamlReplayRepository } from './saml-replay.repository';
import { SAML_OPTIONS, SP_KEYS } from './saml.tokens';
import type { SpKeys } from './sp-keys';

/** A pending login may take this long at the IdP before its answer is refused. */
const LOGIN_WINDOW_MS = 10 * 60_000;

/** The SP side of SAML other than the ACS: AuthnRequests, metadata, single logout. */
@Injectable()
export class SamlService {
  private readonly saml: SAML;
  private readonly sloUrl: string | undefined;

  constructor(
    @Inject(SAML_OPTIONS) options: PassportSamlConfig,
    @Inject(SP_KEYS) private readonly spKeys: SpKeys | undefined,
    @Inject(IDENTITY_PROVIDER) private readonly idp: IdentityProvider,
    private readonly replay: SamlReplayRepository,
    private readonly clock: Clock,
  ) {
    this.saml = new SAML(options);
    this.sloUrl = options.logoutCallbackUrl;
  }

  /**
   * The IdP URL to send the browser to (HTTP-Redirect binding). The AuthnRequest ID is stored
   * bound to this browser's login cookie, so only this browser can complete this login.
   */
  async startLogin(browserBinding: string, returnTo: string): Promise<string> {
    const url = await this.saml.getAuthorizeUrlAsync('', undefined, {});
    const samlRequest = new URL(url).searchParams.get('SAMLRequest') ?? '';
    const { id } = parseRedirectAuthnRequest(samlRequest);
    const now = this.clock.now();
    await this.replay.purgeExpired(now);
    await this.replay.savePendingRequest({
      id,
      browserBindingHash: sha256Hex(browserBinding),
      returnTo,
      createdAt: now,
      expiresAt: new Date(now.getTime() + LOGIN_WINDOW_MS),
    });
    return url;
  }

  metadata(): string {
    return this.saml.generateServiceProviderMetadata(null, this.spKeys?.certPem ?? null);
  }

  /**
   * Validates an IdP-initiated LogoutRequest (signature required) and returns whom it names.
   * `query`/`originalQuery` for the Redirect binding, `body` for the POST binding.
   */
  async validateLogoutRequest(
    input:
      { query: Record<string, unknown>; originalQuery: string } | { body: Record<string, string> },
  ): Promise<{ nameId: string; sessionIndex: string | undefined; profile: object }> {
    const result =
      'body' in input
        ? await this.saml.validatePostRequestAsync(input.body)
        : await this.saml.validateRedirectAsync(input.query as never, input.originalQuery);
    const profile = result.profile;
    if (!profile || !result.loggedOut) throw new Error('not a logout request');
    // SAML Bindings §3.4.5.2 / §3.5.5.2: the signed Destination must be where it arrived, or a
    // request the IdP signed for another SP would sign people out of Attest.
    const xml =
      'body' in input
        ? Buffer.from(input.body.SAMLRequest ?? '', 'base64').toString('utf8')
        : inflateRedirectMessage(String(input.query.SAMLRequest));
    if (parseSamlXml(xml).documentElement.getAttribute('Destination') !== this.sloUrl) {
      throw new Error('logout request addressed elsewhere');
    }
    return { nameId: profile.nameID, sessionIndex: profile.sessionIndex, profile };
  }

  /** Where to send the LogoutResponse; undefined when the IdP has no single logout URL. */
  async logoutResponseUrl(profile: object, relayState: string): Promise<string | undefined> {
    if (!this.idp.sloUrl) return undefined;
    return this.saml.getLogoutResponseUrlAsync(profile as never, relayState, {}, true);
  }
}
