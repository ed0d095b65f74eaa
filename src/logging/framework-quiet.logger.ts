import type { LoggerService } from '@nestjs/common';

/**
 * Nest's own start-up chatter: modules initialised, each route mapped, "application started".
 * Useful when debugging the framework, noise on the console at every start.
 */
export const FRAMEWORK_CONTEXTS: ReadonlySet<string> = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestApplication',
  'LazyModuleLoader',
]);

/**
 * The app's logger for Nest: what Nest logs at `log` level about itself goes to `debug`, so the
 * console at start shows Attest's own lines; everything else passes through unchanged.
 */
export class FrameworkQuietLogger implements LoggerService {
  constructor(private readonly inner: Required<Pick<LoggerService, LoggerLevel>>) {}

  log(message: unknown, ...optionalParams: unknown[]): void {
    const context = optionalParams.at(-1);
    if (typeof context === 'string' && FRAMEWORK_CONTEXTS.has(context)) {
      this.inner.debug(message, ...optionalParams);
    } else {
      this.inner.log(message, ...optionalParams);
    }
  }

  error(message: unknown, ...optionalParams: unknown[]): void {
    this.inner.error(message, ...optionalParams);
  }

  warn(message: unknown, ...optionalParams: unknown[]): void {
    this.inner.warn(message, ...optionalParams);
  }

  debug(message: unknown, ...optionalParams: unknown[]): void {
    this.inner.debug(message, ...optionalParams);
  }

  verbose(message: unknown, ...optionalParams: unknown[]): void {
    this.inner.verbose(message, ...optionalParams);
  }

  fatal(message: unknown, ...optionalParams: unknown[]): void {
    this.inner.fatal(message, ...optionalParams);
  }
}

type LoggerLevel = 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';
