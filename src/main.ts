import 'reflect-metadata';
import { Logger } from 'nestjs-pino';
import { createApp } from './app.bootstrap';
import { describeFailure } from './common/errors/operator.error';
import { loadConfig } from './config/config.loader';
import { openDatabase } from './database/embedded-postgres';
import { RequirementsService } from './requirements/requirements.service';

async function main(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase({
    url: config.database.url,
    dataDir: config.dataDir,
    embeddedPort: config.database.embeddedPort,
  });
  let app: Awaited<ReturnType<typeof createApp>>;
  try {
    app = await createApp({ config, database });
    await app.listen(config.port, config.host);
  } catch (error) {
    await database.close();
    throw error;
  }
  const logger = app.get(Logger);
  const where = database.embedded ? 'embedded database' : 'PostgreSQL';
  logger.log(`Attest is ready at ${config.publicUrl} (${where})`);

  // Rules may have changed since the last start: bring everyone's assignments up to date in the
  // background, without holding up readiness.
  const started = Date.now();
  app
    .get(RequirementsService)
    .derive()
    .then(
      (counts) =>
        logger.log(
          `requirements derived in ${Date.now() - started} ms: ${counts.inserted} new, ${counts.updated} changed, ${counts.deleted} removed, ${counts.unchanged} unchanged`,
        ),
      (error: unknown) => logger.error({ err: error, msg: 'deriving requirements failed' }),
    );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received: shutting down`);
    void app
      .close()
      .then(() => database.close())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(describeFailure(error));
  process.exit(1);
});
