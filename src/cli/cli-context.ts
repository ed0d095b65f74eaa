import { MikroORM } from '@mikro-orm/postgresql';
import type { DynamicModule, INestApplicationContext, Type } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuditModule } from '../audit/audit.module';
import { CommonModule } from '../common/common.module';
import type { AppConfig } from '../config/app-config';
import { ConfigModule } from '../config/config.module';
import { DatabaseModule } from '../database/database.module';
import type { DatabaseEndpoint } from '../database/embedded-postgres';
import { assertSchemaCurrent, migrate } from '../database/migration.runner';
import { createOrmOptions } from '../database/mikro-orm.config';
import { withDatabase } from '../database/with-database';

/** What a command does with a schema that is behind: migrate it, or refuse (SchemaBehind). */
export type SchemaPolicy = 'migrate' | 'require-current';

/**
 * Runs a CLI command with just the feature modules it needs, on a migrated database, and
 * closes everything afterwards whatever happens.
 */
export function withAppContext<T>(
  config: AppConfig,
  features: Array<Type | DynamicModule>,
  work: (context: INestApplicationContext) => Promise<T>,
  schema: SchemaPolicy = 'migrate',
): Promise<T> {
  return withModuleContext(
    config,
    (database) => {
      @Module({
        imports: [
          ConfigModule.forRoot(config),
          CommonModule,
          DatabaseModule.forRoot(database),
          AuditModule,
          ...features,
        ],
      })
      class CliContextModule {}
      return CliContextModule;
    },
    work,
    schema,
  );
}

/**
 * Runs a CLI command in a context built from a root module that brings its own database
 * module (the seeder's), on a migrated database, and closes everything afterwards.
 */
export function withModuleContext<T>(
  config: AppConfig,
  rootModule: (database: DatabaseEndpoint) => Type | DynamicModule,
  work: (context: INestApplicationContext) => Promise<T>,
  schema: SchemaPolicy = 'migrate',
): Promise<T> {
  return withDatabase(config, async (database) => {
    const context = await NestFactory.createApplicationContext(rootModule(database), {
      logger: false,
    });
    try {
      const orm = context.get(MikroORM);
      await (schema === 'migrate' ? migrate(orm) : assertSchemaCurrent(orm));
      return await work(context);
    } finally {
      await context.close();
    }
  });
}

/** Opens the configured database for one command, with the ORM alone, and closes it afterwards. */
export function withOrm<T>(config: AppConfig, work: (orm: MikroORM) => Promise<T>): Promise<T> {
  return withDatabase(config, async (database) => {
    const orm = await MikroORM.init(
      // Two on a server: `attest migrate` takes the migration lock in a transaction of its own
      // while the migrator sets itself up on another connection (migration.runner.ts).
      createOrmOptions(database.clientUrl, { embedded: database.embedded, poolMax: 2 }),
    );
    try {
      return await work(orm);
    } finally {
      await orm.close(true);
    }
  });
}
