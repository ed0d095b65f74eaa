import { MikroORM } from '@mikro-orm/postgresql';
import type { INestApplicationContext, Type } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuditModule } from '../audit/audit.module';
import { CommonModule } from '../common/common.module';
import type { AppConfig } from '../config/app-config';
import { ConfigModule } from '../config/config.module';
import { DatabaseModule } from '../database/database.module';
import { openDatabase } from '../database/embedded-postgres';
import { migrate } from '../database/migration.runner';

/**
 * Runs a CLI command with just the feature modules it needs, on a migrated database, and
 * closes everything afterwards whatever happens.
 */
export async function withAppContext<T>(
  config: AppConfig,
  features: Type[],
  work: (context: INestApplicationContext) => Promise<T>,
): Promise<T> {
  const database = await openDatabase({
    url: config.database.url,
    dataDir: config.dataDir,
    embeddedPort: config.database.embeddedPort,
  });
  try {
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
    const context = await NestFactory.createApplicationContext(CliContextModule, {
      logger: false,
    });
    try {
      await migrate(context.get(MikroORM));
      return await work(context);
    } finally {
      await context.close();
    }
  } finally {
    await database.close();
  }
}
