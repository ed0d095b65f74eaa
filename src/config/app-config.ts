import type { Role } from '../access/role';

export type NodeEnv = 'development' | 'test' | 'production';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** The validated, frozen settings every module reads instead of process.env. */
export interface AppConfig {
  readonly nodeEnv: NodeEnv;
  readonly isProduction: boolean;
  /** Interface to listen on: loopback for local use, all interfaces in production. */
  readonly host: string;
  readonly port: number;
  readonly publicUrl: string;
  /** Absolute path of the directory for embedded data and generated local secrets. */
  readonly dataDir: string;
  /** Absolute path of the organisation's documents and rules (policies/ in the checkout). */
  readonly policiesDir: string;
  readonly database: {
    /** Unset means the embedded PGlite database under `dataDir/pg`. */
    readonly url: string | undefined;
    readonly embeddedPort: number;
    readonly migrateOnStart: boolean;
  };
  readonly secrets: {
    readonly sessionSecret: string;
    /** 32 raw bytes for AES-256-GCM. */
    readonly dataEncryptionKey: Buffer;
    /** Bearer token Prometheus scrapes /metrics with; unset: no /metrics. */
    readonly metricsToken: string | undefined;
    /** 32 raw bytes that encrypt `attest backup` files (BACKUP_KEY); or the passphrase below. */
    readonly backupKey: Buffer | undefined;
    /** BACKUP_PASSPHRASE: stretched with scrypt for each backup. At most one of the two. */
    readonly backupPassphrase: string | undefined;
  };
  readonly logLevel: LogLevel;
  /** Shown on pages and, later, on attestations. */
  readonly organisationName: string;
  readonly saml: SamlConfig;
  /** Set when sign-in is OpenID Connect instead of SAML (never both; see oidc-config.ts). */
  readonly oidc: OidcConfig | undefined;
  readonly sessions: {
    readonly idleTimeoutMs: number;
    readonly absoluteTimeoutMs: number;
  };
  /**
   * Express's `trust proxy`: how many proxy hops, or which proxy addresses, may state the
   * client's address in X-Forwarded-For. Unset: forwarded headers are ignored.
   */
  readonly trustProxy: number | readonly string[] | undefined;
  /** Sign-in requests (login, ACS, TOTP) per minute per client address. */
  readonly authRateLimit: number;
  /** Sign-ins per minute per identity (IdP issuer and NameID), whatever the client. */
  readonly authIdentityRateLimit: number;
  readonly signing: SigningConfig;
  /** Exports of up to this many PDFs download at once; larger ones run as background jobs. */
  readonly exportStreamLimit: number;
  /**
   * Threads that lay out and save attestation PDFs beside the one that serves requests
   * (PDF_WORKERS). 0 lays them out on the request thread.
   */
  readonly pdfWorkers: number;
  /**
   * Whether the first start on an empty database creates the demo organisation. On by default
   * in development only; never in production.
   */
  readonly demoData: boolean;
  readonly mail: MailConfig;
  /**
   * Whether this instance applies policies/retention.yml once a day in the background (RETENTION).
   * Off under NODE_ENV=test; `attest retention apply` works either way.
   */
  readonly retentionBackground: boolean;
}

export interface MailConfig {
  /** Unset outside production: mail is kept in the outbox and shown at /dev/mailbox. */
  readonly smtpUrl: string | undefined;
  readonly from: string;
  readonly replyTo: string | undefined;
  /**
   * Whether this instance runs the scheduler and the delivery worker in the background. Off
   * under NODE_ENV=test, where tests run passes themselves; `attest notifications run` works
   * either way.
   */
  readonly background: boolean;
}

/**
 * The PDF seal's key and certificate, as configured (read and checked by the attestations
 * module at start). Unset outside production means a self-signed seal in DATA_DIR.
 */
export interface SigningConfig {
  /** A path to, or base64 of, a PKCS#12 file; or `key` + `cert` below. */
  readonly p12: string | undefined;
  readonly p12Password: string | undefined;
  /** PEM text or a path. */
  readonly key: string | undefined;
  readonly cert: string | undefined;
  /** RFC 3161 time-stamping authority; set, seals are PAdES B-T instead of B-B. */
  readonly tsaUrl: string | undefined;
  /** PEM text or a path: earlier seal certificates the verifier still accepts. */
  readonly pinnedCerts: string | undefined;
}

/** The IdP as configured. Unset outside production means the built-in demo IdP. */
export interface IdentityProviderConfig {
  /** Path or URL of the IdP metadata XML; or the three values below. */
  readonly metadata?: string;
  readonly ssoUrl?: string;
  readonly entityId?: string;
  /** PEM text or a path to a PEM file; may hold two certificates for rollover. */
  readonly cert?: string;
  readonly sloUrl?: string;
}

export interface SamlConfig {
  readonly idp: IdentityProviderConfig | undefined;
  readonly spEntityId: string;
  readonly acsUrl: string;
  readonly sloCallbackUrl: string;
  /** PEM text or path; generated into DATA_DIR outside production when unset. */
  readonly spPrivateKey: string | undefined;
  readonly spCert: string | undefined;
  readonly attributes: {
    readonly groups: string;
    readonly email: string;
    readonly displayName: string;
    readonly department: string;
    readonly country: string;
    readonly managerEmail: string;
    readonly startDate: string;
  };
  /** IdP group → the Attest roles it grants. */
  readonly roleMap: ReadonlyMap<string, readonly Role[]>;
}

export type OidcClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt';

/** An OpenID Provider and Attest's client registration with it. */
export interface OidcConfig {
  /** The issuer identifier; discovery reads `<issuer>/.well-known/openid-configuration`. */
  readonly issuer: string;
  readonly clientId: string;
  readonly clientAuthMethod: OidcClientAuthMethod;
  /** For client_secret_basic and client_secret_post. A secret: never logged. */
  readonly clientSecret: string | undefined;
  /** For private_key_jwt: a PEM (PKCS#8) file, and the key id the provider knows it by. */
  readonly clientPrivateKeyFile: string | undefined;
  readonly clientKeyId: string | undefined;
  /** The redirect URI to register with the provider: `<PUBLIC_URL>/auth/oidc/callback`. */
  readonly redirectUri: string;
  readonly scopes: string;
  readonly claims: {
    readonly email: string;
    readonly name: string;
    readonly groups: string;
  };
  /** Refuse an ID token whose `email_verified` is not true (OIDC_REQUIRE_EMAIL_VERIFIED). */
  readonly requireEmailVerified: boolean;
  /**
   * Plain-http issuer, allowed outside production only (local providers and tests). In
   * production the issuer must be https (OpenID Connect Discovery 1.0 §3).
   */
  readonly allowInsecureIssuer: boolean;
}

/** Injection token for {@link AppConfig}. */
export const APP_CONFIG = Symbol('APP_CONFIG');
