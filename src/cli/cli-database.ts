import { MikroORM } from '@mikro-orm/postgresql';
import type { AppConfig } from '../config/app-config';
import { openDatabase } from '../database/embedded-postgres';
import { createOrmOptions } from '../database/mikro-orm.config';

/** Opens the configured database for one command and closes it afterwards, whatever happens. */
export async function withOrm<T>(
  config: AppConfig,
  work: (orm: MikroORM) => Promise<T>,
): Promise<T> {
  const database = await openDatabase({
    url: config.database.url,
    dataDir: config.dataDir,
    embeddedPort: config.database.embeddedPort,
  });
  try {
    const orm = await MikroORM.init(
      createOrmOptions(database.clientUrl, { embedded: database.embedded, poolMax: 1 }),
    );
    try {
      return await work(orm);
    } finally {
      await orm.close(true);
    }
  } finally {
    await database.close();
  }
}
