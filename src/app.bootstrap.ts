import { MikroORM } from '@mikro-orm/postgresql';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule, type AppModuleOptions } from './app.module';
import { configureHttp, proxyWarning } from './app.setup';
import { AuditService } from './audit/audit.service';
import { publishApiDocs } from './auditors/api-docs/publish-api-docs';
import { assertSchemaCurrent, migrate } from './database/migration.runner';
import { DocumentSyncService } from './documents/document-sync.service';

/**
 * Builds the application: HTTP setup, then the schema (migrated, or checked in production),
 * then a `system.started` audit event. The caller listens and owns shutdown.
 */
export async function createApp(options: AppModuleOptions): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(options), {
    bufferLogs: true,
    bodyParser: false,
  });
  try {
    const logger = app.get(Logger);
    app.useLogger(logger);
    app.flushLogs();
    await configureHttp(app, options.config);
    const warning = proxyWarning(options.config);
    if (warning) logger.warn(warning);
    publishApiDocs(app);
    const orm = app.get(MikroORM);
    if (options.config.database.migrateOnStart) {
      const applied = await migrate(orm);
      if (applied.length > 0) logger.log(`database migrated: ${applied.join(', ')}`);
    } else {
      await assertSchemaCurrent(orm);
    }
    // Before serving: a policy file that cannot be published stops the start, naming the file.
    const synced = await app.get(DocumentSyncService).sync({ derive: false });
    if (synced.published.length > 0) {
      logger.log(`documents published: ${synced.published.length} new version(s)`);
    }
    await app.init();
    await app.get(AuditService).record({
      action: 'system.started',
      actorId: 'system',
      details: { embeddedDatabase: options.database.embedded },
    });
    return app;
  } catch (error) {
    await app.close();
    throw error;
  }
}
