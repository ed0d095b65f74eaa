/*
 * Developer tool, not part of the build: diffs the entities against the committed migrations,
 * writes a new migration (and the snapshot) here in src/database/migrations, and registers it
 * in migrations/index.ts. Usage: npm run migration:create -- <name>
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import { startEmbeddedPostgres } from './embedded-postgres';
import { createOrmOptions, MIGRATIONS_DIR } from './mikro-orm.config';

function register(className: string): void {
  const index = join(MIGRATIONS_DIR, 'index.ts');
  const source = readFileSync(index, 'utf8')
    .replace(/^(import type .*\n)/m, `$1import { ${className} } from './${className}';\n`)
    .replace(/= \[(.*)\];/s, (_match, list: string) => {
      const existing = list.trim() ? `\n  ${list.trim().replace(/,$/, '')},` : '';
      return `= [${existing}\n  { name: '${className}', class: ${className} },\n];`;
    });
  writeFileSync(index, source);
}

async function main(): Promise<void> {
  const name = process.argv[2];
  const dir = mkdtempSync(join(tmpdir(), 'attest-migration-'));
  const db = await startEmbeddedPostgres(dir, 0);
  const orm = await MikroORM.init(createOrmOptions(db.clientUrl, { embedded: true }));
  try {
    await orm.migrator.up();
    const result = await orm.migrator.create(MIGRATIONS_DIR, false, false, name);
    if (!result.fileName) {
      // Hand-written migrations leave the snapshot behind; with it stale, the next run would
      // diff against the wrong schema. Rewrite it from the entities (MikroORM keeps it protected).
      await (
        orm.migrator as unknown as { storeCurrentSchema(): Promise<void> }
      ).storeCurrentSchema();
      console.log('No schema changes: nothing to generate; the snapshot is up to date.');
      return;
    }
    register(basename(result.fileName).replace(/\.ts$/, ''));
    console.log(`Created ${result.fileName}`);
  } finally {
    await orm.close(true);
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
