import type { EntityManager } from '@mikro-orm/postgresql';
import { CompiledQuery } from 'kysely';
import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';

/** Marks a statement's text for `namePreparedStatements`, which prepares it once per connection. */
const MARK = '/* prepared */ ';

/**
 * A statement the database parses and plans once per connection, not on every call: the
 * signing path's statements run on every signature, and parsing and planning them cost
 * PostgreSQL about half of its time there. Values travel as bound parameters ($1, $2…).
 */
export interface PreparedStatement {
  readonly text: string;
}

/**
 * Writes a statement whose `?` placeholders (as `em.execute` takes them) become `$1`, `$2`…, in
 * order. Every `?` is one: write jsonb's `?` operator as `jsonb_exists()`. Only for fixed texts:
 * each distinct text is one statement kept on every connection.
 */
export function prepared(sql: string): PreparedStatement {
  let n = 0;
  return { text: MARK + sql.replace(/\?/g, () => `$${++n}`) };
}

/**
 * Runs a prepared statement in `em`'s transaction, if it has one, and returns its rows. A
 * failure is the ORM's exception for it, as `em.execute` throws (a duplicate key is a
 * UniqueConstraintViolationException).
 */
export async function runPrepared<Row>(
  em: EntityManager,
  statement: PreparedStatement,
  params: readonly unknown[],
): Promise<Row[]> {
  try {
    const { rows } = await em
      .getKysely()
      .executeQuery<Row>(CompiledQuery.raw(statement.text, [...params]));
    return rows;
  } catch (error) {
    throw em.getDriver().convertException(error as Error);
  }
}

/** Names of marked texts seen so far: a text's SHA-256 once, not on every call. */
const names = new Map<string, string>();
const NAMES_LIMIT = 1000;

/** The name a marked text is prepared under: the same text, the same name, on any connection. */
function nameOf(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `attest_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    if (names.size >= NAMES_LIMIT) names.clear();
    names.set(text, name);
  }
  return name;
}

type Query = (config: unknown, values?: unknown, callback?: unknown) => unknown;

/**
 * For the ORM's pool (`driverOptions.onPoolCreated`): each connection sends a marked text as a
 * named statement (PostgreSQL's extended query protocol: Parse once, then Bind and Execute), and
 * every other text as before. The pg driver remembers which names each connection has parsed.
 *
 * Each execution is still planned for its own values (plan_cache_mode = force_custom_plan).
 * PostgreSQL would otherwise settle on one generic plan after five calls and keep it until the
 * next ANALYZE: a plan made while the tables were small (a new install, or the embedded
 * database, which never runs autovacuum) then scans whole tables for ever after. Parsing and
 * analysing once is what is saved.
 */
export function namePreparedStatements(pool: Pool): void {
  pool.on('connect', (client: PoolClient) => {
    // Queued before anything the pool's user sends. Should it fail, the connection is broken
    // and the next query reports it.
    client.query('set plan_cache_mode = force_custom_plan').catch(() => undefined);
    const query = client.query.bind(client) as Query;
    (client as unknown as { query: Query }).query = (config, values, callback) =>
      typeof config === 'string' && config.startsWith(MARK)
        ? query({ name: nameOf(config), text: config, values }, callback)
        : query(config, values, callback);
  });
}
