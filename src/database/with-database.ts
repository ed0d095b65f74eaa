import type { AppConfig } from '../config/app-config';
import { type DatabaseEndpoint, openDatabase } from './embedded-postgres';

/**
 * Opens the configured database (a PostgreSQL server, or embedded PGlite under the data
 * directory), runs `work` on it and closes it afterwards, whatever happens. The app, every CLI
 * command and the seeder open the database this one way.
 */
export async function withDatabase<T>(
  config: AppConfig,
  work: (database: DatabaseEndpoint) => Promise<T>,
): Promise<T> {
  const database = await openDatabase({
    url: config.database.url,
    dataDir: config.dataDir,
    embeddedPort: config.database.embeddedPort,
  });
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}
