import 'reflect-metadata';
import { Logger } from 'nestjs-pino';
import { createApp } from './app.bootstrap';
import { describeFailure } from './common/errors/operator.error';
import { loadConfig } from './config/config.loader';
import { withDatabase } from './database/with-database';
import { RequirementsService } from './requirements/requirements.service';

/** Whether the app got as far as listening: only a failure before that is reported as such. */
let started = false;

async function main(): Promise<void> {
  const config = loadConfig();
  await withDatabase(config, async (database) => {
    const app = await createApp({ config, database });
    await app.listen(config.port, config.host);
    started = true;
    const logger = app.get(Logger);
    const where = database.embedded ? 'embedded database' : 'PostgreSQL';
    const signIn = config.oidc
      ? 'sign in through your OpenID Provider'
      : config.saml.idp
        ? 'sign in through your identity provider'
        : 'sign in through the demo identity provider';
    logger.log(`Attest is ready at ${config.publicUrl} (${where}): ${signIn}`);

    // Rules may have changed since the last start: bring everyone's assignments up to date in
    // the background, without holding up readiness.
    const deriveStarted = Date.now();
    app
      .get(RequirementsService)
      .derive()
      .then(
        (counts) =>
          logger.debug(
            `requirements derived in ${Date.now() - deriveStarted} ms: ${counts.inserted} new, ${counts.updated} changed, ${counts.deleted} removed, ${counts.unchanged} unchanged`,
          ),
        (error: unknown) => logger.error({ err: error, msg: 'deriving requirements failed' }),
      );

    const signal = await new Promise<string>((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    });
    logger.log(`${signal} received: shutting down`);
    await app.close();
  });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    if (!started) console.error(describeFailure(error));
    process.exit(1);
  },
);
