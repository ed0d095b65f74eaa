import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamicModule, Type } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { App } from 'supertest/types';
import { createApp } from '../../src/app.bootstrap';
import type { AppConfig } from '../../src/config/app-config';
import { loadConfig } from '../../src/config/config.loader';
import { LogCapture } from './log-capture';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface TestApp {
  app: NestExpressApplication;
  server: App;
  config: AppConfig;
  db: TestDatabase;
  logs: LogCapture;
  close(): Promise<void>;
}

export const TEST_SECRETS = {
  SESSION_SECRET: 'test-session-secret-that-is-long-enough-0123456789',
  DATA_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
};

/** The whole application on a fresh database, with its logs captured. */
export async function createTestApp(
  options: { env?: Record<string, string>; extraModules?: Array<Type | DynamicModule> } = {},
): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'attest-e2e-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    // Suites sign in many times from one address, and as one person; the rate-limit tests set
    // their own limits.
    AUTH_RATE_LIMIT: '100000',
    AUTH_IDENTITY_RATE_LIMIT: '100000',
    ...TEST_SECRETS,
    ...options.env,
  });
  const db = await createTestDatabase();
  const logs = new LogCapture();
  try {
    const app = await createApp({
      config,
      database: db,
      logDestination: logs,
      extraModules: options.extraModules,
    });
    await app.init();
    return {
      app,
      server: app.getHttpServer() as App,
      config,
      db,
      logs,
      async close() {
        await app.close();
        await db.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}
