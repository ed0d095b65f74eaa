import { MikroORM } from '@mikro-orm/postgresql';
import { NestFactory } from '@nestjs/core';
import type { AppConfig } from '../config/app-config';
import { openDatabase } from '../database/embedded-postgres';
import { migrate } from '../database/migration.runner';
import { SeedModule } from '../seed/seed.module';
import { SeedService } from '../seed/seed.service';
import { type CliIo, EXIT_FAILED, EXIT_OK } from './cli-io';

/** `attest seed --people N`: a synthetic organisation for demos and benchmarks. */
export async function runSeed(config: AppConfig, people: number, io: CliIo): Promise<number> {
  if (config.isProduction) {
    io.err('attest seed adds synthetic people; it refuses to run with NODE_ENV=production.');
    return EXIT_FAILED;
  }
  const database = await openDatabase({
    url: config.database.url,
    dataDir: config.dataDir,
    embeddedPort: config.database.embeddedPort,
  });
  try {
    const context = await NestFactory.createApplicationContext(
      SeedModule.forRoot(config, database),
      { logger: false },
    );
    try {
      await migrate(context.get(MikroORM));
      const started = Date.now();
      const result = await context.get(SeedService).seed(people, (line) => io.out(line));
      io.out(
        `Seeded ${result.people} people, ${result.assignments} assignments and ${result.completions} completions in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
      );
      return EXIT_OK;
    } finally {
      await context.close();
    }
  } finally {
    await database.close();
  }
}
