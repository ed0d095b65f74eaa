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
  };
  readonly logLevel: LogLevel;
  /** Shown on pages and, later, on attestations. */
  readonly organisationName: string;
}

/** Injection token for {@link AppConfig}. */
export const APP_CONFIG = Symbol('APP_CONFIG');
