import {
  type DynamicModule,
  type MiddlewareConsumer,
  Module,
  type NestModule,
  type Provider,
  type Type,
} from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { EntityManager } from '@mikro-orm/postgresql';
import { ThrottlerModule } from '@nestjs/throttler';
import type { AttestRequest } from '../access/principal';
import type { AppConfig, OidcConfig } from '../config/app-config';
import { AttestationsModule } from '../attestations/attestations.module';
import { PeopleModule } from '../people/people.module';
import { RequirementsModule } from '../requirements/requirements.module';
import {
  AuthThrottlerGuard,
  IP_THROTTLER,
  ipTracker,
  PERSON_LIMIT_PER_MINUTE,
  PERSON_THROTTLER,
  personTracker,
} from './auth-throttler.guard';
import { ConfigurationController } from './admin/configuration.controller';
import { ConfigurationRepository } from './admin/configuration.repository';
import { ConfigurationService } from './admin/configuration.service';
import { DemoIdpModule } from './demo-idp/demo-idp.module';
import { MetricsModule } from '../metrics/metrics.module';
import { IdentityThrottlerGuard } from './identity-throttler.guard';
import { PgThrottlerStorage } from './rate-limits/pg-throttler.storage';
import {
  IDENTITY_PROVIDER,
  type IdentityProvider,
  resolveIdentityProvider,
} from './saml/identity-provider';
import { SamlAcsGuard } from './saml/saml-acs.guard';
import { samlOptions } from './saml/saml-options';
import { SamlReplayRepository } from './saml/saml-replay.repository';
import { SamlController } from './saml/saml.controller';
import { SamlService } from './saml/saml.service';
import { SamlStrategy } from './saml/saml.strategy';
import { SAML_OPTIONS, SP_KEYS } from './saml/saml.tokens';
import { loadSpKeys, type SpKeys } from './saml/sp-keys';
import { OidcCallbackGuard } from './oidc/oidc-callback.guard';
import { OIDC_CLIENT, OidcClient } from './oidc/oidc-client';
import { OidcCookie } from './oidc/oidc-cookie';
import { OidcLoginService } from './oidc/oidc-login.service';
import { OidcController } from './oidc/oidc.controller';
import { SessionMiddleware } from './sessions/session.middleware';
import { SignInController } from './sign-in.controller';
import { SsoLoginService } from './sso-login.service';
import { SessionsAdminService } from './sessions/sessions-admin.service';
import { SessionsController } from './sessions/sessions.controller';
import { SessionsModule } from './sessions/sessions.module';
import { TotpStepUpService } from './totp/totp-step-up.service';
import { TotpController } from './totp/totp.controller';
import { TotpRepository } from './totp/totp.repository';
import { TotpService } from './totp/totp.service';
import { DATA_CIPHER_PROVIDER } from '../common/crypto/data-cipher';

/** The built-in demo IdP serves local installs that have not configured their own IdP. */
export function usesDemoIdp(config: AppConfig): boolean {
  return !config.saml.idp && !config.oidc && !config.isProduction;
}

/** SAML sign-in: its routes, strategy and the IdP it trusts (the demo IdP when none is set). */
function samlSignIn(config: AppConfig): { controllers: Type[]; providers: Provider[] } {
  return {
    controllers: [SamlController],
    providers: [
      { provide: IDENTITY_PROVIDER, useFactory: () => resolveIdentityProvider(config) },
      { provide: SP_KEYS, useFactory: () => loadSpKeys(config) },
      {
        provide: SAML_OPTIONS,
        useFactory: (idp: IdentityProvider, keys: SpKeys | undefined) =>
          samlOptions(config, idp, keys),
        inject: [IDENTITY_PROVIDER, SP_KEYS],
      },
      SamlAcsGuard,
      SamlService,
      SamlStrategy,
    ],
  };
}

/**
 * OpenID Connect sign-in, when OIDC_ISSUER is set: the provider is discovered at start-up, and
 * stands in as the IdP the configuration page shows.
 */
function oidcSignIn(oidc: OidcConfig): { controllers: Type[]; providers: Provider[] } {
  return {
    controllers: [OidcController],
    providers: [
      { provide: OIDC_CLIENT, useFactory: () => OidcClient.discover(oidc) },
      {
        provide: IDENTITY_PROVIDER,
        useFactory: (client: OidcClient): IdentityProvider => {
          const provider = client.provider();
          return {
            entityId: provider.issuer,
            ssoUrl: provider.authorizationEndpoint,
            // Attest does not use RP-initiated logout: signing out ends the Attest session only.
            sloUrl: undefined,
            certs: [],
            demo: false,
          };
        },
        inject: [OIDC_CLIENT],
      },
      OidcCallbackGuard,
      OidcCookie,
      OidcLoginService,
    ],
  };
}

/** Sign-in (SAML or OpenID Connect), sessions, TOTP step-up and their rate limits. */
@Module({})
export class AuthModule implements NestModule {
  static forRoot(config: AppConfig): DynamicModule {
    const signIn = config.oidc ? oidcSignIn(config.oidc) : samlSignIn(config);
    return {
      module: AuthModule,
      imports: [
        PassportModule,
        PeopleModule,
        RequirementsModule,
        // For the configuration page: the seal certificate in force.
        AttestationsModule,
        SessionsModule,
        MetricsModule,
        // Counters in PostgreSQL: the limits hold across every instance (see PgThrottlerStorage).
        ThrottlerModule.forRootAsync({
          inject: [EntityManager],
          useFactory: (em: EntityManager) => ({
            storage: new PgThrottlerStorage(em),
            throttlers: [
              {
                name: IP_THROTTLER,
                ttl: 60_000,
                limit: config.authRateLimit,
                getTracker: ipTracker,
              },
              {
                name: PERSON_THROTTLER,
                ttl: 60_000,
                limit: PERSON_LIMIT_PER_MINUTE,
                getTracker: personTracker,
                skipIf: (context) => !context.switchToHttp().getRequest<AttestRequest>().principal,
              },
            ],
          }),
        }),
        ...(usesDemoIdp(config)
          ? [
              DemoIdpModule.forRoot({
                publicUrl: config.publicUrl,
                dataDir: config.dataDir,
                spEntityId: config.saml.spEntityId,
                acsUrl: config.saml.acsUrl,
              }),
            ]
          : []),
      ],
      controllers: [
        ...signIn.controllers,
        SignInController,
        SessionsController,
        ConfigurationController,
        TotpController,
      ],
      providers: [
        ...signIn.providers,
        AuthThrottlerGuard,
        IdentityThrottlerGuard,
        ConfigurationRepository,
        ConfigurationService,
        // The replay table serves both protocols: SAML assertions and OIDC states.
        SamlReplayRepository,
        SsoLoginService,
        SessionsAdminService,
        DATA_CIPHER_PROVIDER,
        TotpRepository,
        TotpService,
        TotpStepUpService,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(SessionMiddleware).forRoutes('*path');
  }
}
