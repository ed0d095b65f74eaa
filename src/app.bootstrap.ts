import { MikroORM } from '@mikro-orm/postgresql';
import { LazyModuleLoader, NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule, type AppModuleOptions } from './app.module';
import { configureHttp, proxyWarning } from './app.setup';
import { AuditService } from './audit/audit.service';
import { publishApiDocs } from './auditors/api-docs/publish-api-docs';
import { assertSchemaCurrent, migrate } from './database/migration.runner';
import { DocumentSyncService } from './documents/document-sync.service';
import { FrameworkQuietLogger } from './logging/framework-quiet.logger';
import { DemoDataModule } from './seed/demo-data.module';
import { DemoOrganisationService } from './seed/demo-organisation.service';

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
    // Nest's module and route lines go to debug: the console at start shows Attest's own.
    app.useLogger(new FrameworkQuietLogger(logger));
    app.flushLogs();
    await configureHttp(app, options.config);
    const warning = proxyWarning(options.config);
    if (warning) logger.warn(warning);
    publishApiDocs(app);
    const orm = app.get(MikroORM);
    if (options.config.database.migrateOnStart) {
      const applied = await migrate(orm);
      if (applied.length > 0) logger.debug(`database migrated: ${applied.join(', ')}`);
    } else {
      await assertSchemaCurrent(orm);
    }
    // Before serving: a policy file that cannot be published stops the start, naming the file.
    const synced = await app.get(DocumentSyncService).sync({ derive: false });
    // DocumentSyncService says how many it published; the list is for debugging.
    if (synced.published.length > 0) {
      logger.debug(`documents published: ${synced.published.length} new version(s)`);
    }
    await app.init();
    await app.get(AuditService).record({
      action: 'system.started',
      actorId: 'system',
      details: { embeddedDatabase: options.database.embedded },
    });
    if (options.config.demoData) await createDemoOrganisation(app, logger);
    return app;
  } catch (error) {
    await app.close();
    throw error;
  }
}

/**
 * In development, the first start on an empty database makes the demo organisation. Its module
 * is loaded only here, so production never instantiates it; the log line names no one.
 */
async function createDemoOrganisation(app: NestExpressApplication, logger: Logger): Promise<void> {
  const moduleRef = await app.get(LazyModuleLoader).load(() => DemoDataModule);
  const created = await moduleRef
    .get(DemoOrganisationService)
    .createIfEmpty(() =>
      logger.log('creating the demo organisation (first start only, about half a minute)…'),
    );
  if (created) {
    logger.log(
      `demo organisation created: ${created.people} people, ${created.attestations} sealed attestations, ${created.checksPending} background checks in progress (turn off with DEMO_DATA=false)`,
    );
  }
}
