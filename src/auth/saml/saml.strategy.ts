import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import {
  type PassportSamlConfig,
  type Profile,
  Strategy,
  type VerifyWithRequest,
} from '@node-saml/passport-saml';
import type { Request } from 'express';
import { Clock } from '../../common/clock';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { AuthCookies, sha256Hex } from '../sessions/auth-cookies';
import { IDENTITY_PROVIDER, type IdentityProvider } from './identity-provider';
import { SamlLoginRefused } from './saml-login.errors';
import { SAML_OPTIONS } from './saml.tokens';
import { SamlReplayRepository } from './saml-replay.repository';
import { checkVerifiedResponse } from './saml-response.checks';
import { type SsoLogin, ssoIdentityFrom } from './sso-identity';

/**
 * passport-saml's constructor is (options, signonVerify, logoutVerify); Nest's mixin appends
 * one verify callback last. Single logout is handled by SamlController, not by passport.
 */
class SamlStrategyBase extends Strategy {
  constructor(options: PassportSamlConfig, verify: VerifyWithRequest) {
    super(options, verify, verify);
  }
}

/** A response that passed every check, and where the person was going. */
export type SamlLogin = SsoLogin;

@Injectable()
export class SamlStrategy extends PassportStrategy(SamlStrategyBase, 'saml') {
  constructor(
    @Inject(SAML_OPTIONS) options: PassportSamlConfig,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(IDENTITY_PROVIDER) private readonly idp: IdentityProvider,
    private readonly replay: SamlReplayRepository,
    private readonly cookies: AuthCookies,
    private readonly clock: Clock,
  ) {
    super(options);
  }

  /** Runs after node-saml has verified both signatures, audience and validity window. */
  async validate(req: Request, profile: Profile | null): Promise<SamlLogin> {
    if (!profile) throw new SamlLoginRefused('invalid_response');
    const now = this.clock.now();
    const responseXml = profile.getSamlResponseXml?.();
    const assertionXml = profile.getAssertionXml?.();
    if (!responseXml || !assertionXml) throw new SamlLoginRefused('invalid_response');
    const checked = checkVerifiedResponse(responseXml, assertionXml, {
      idpEntityId: this.idp.entityId,
      acsUrl: this.config.saml.acsUrl,
      now,
    });
    const binding = this.cookies.read(req, this.cookies.loginName);
    const pending = binding
      ? await this.replay.consumePendingRequest(checked.inResponseTo, sha256Hex(binding), now)
      : undefined;
    if (!pending) throw new SamlLoginRefused('in_response_to_unknown');
    if (!(await this.replay.recordAssertionUse(checked.assertionId, checked.notOnOrAfter, now))) {
      throw new SamlLoginRefused('replay');
    }
    const identity = ssoIdentityFrom(profile, checked, this.config.saml);
    if (!identity) throw new SamlLoginRefused('no_email');
    return { identity, returnTo: pending.returnTo };
  }
}
