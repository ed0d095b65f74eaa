import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '../../src/config/config.loader';
import { migrate } from '../../src/database/migration.runner';
import { SeedModule } from '../../src/seed/seed.module';
import { SeedService } from '../../src/seed/seed.service';
import { TEST_SECRETS } from '../helpers/test-app';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';

describe(SeedService.name, () => {
  let db: TestDatabase;
  let context: INestApplicationContext;

  beforeAll(async () => {
    db = await createTestDatabase();
    const config = loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'attest-seed-')),
      ...TEST_SECRETS,
    });
    context = await NestFactory.createApplicationContext(SeedModule.forRoot(config, db), {
      logger: false,
    });
    await migrate(context.get(MikroORM));
  });

  afterAll(async () => {
    await context?.close();
    await db?.close();
  });

  it('creates people, derives their assignments and records a mix of completions', async () => {
    const lines: string[] = [];
    const result = await context.get(SeedService).seed(400, (l) => lines.push(l));
    expect(result.people).toBe(400);
    expect(lines.some((l) => l.startsWith('people: 400 of 400'))).toBe(true);

    const [counts] = await db.query<{
      people: string;
      assignments: string;
      done: string;
      open: string;
    }>(
      `select (select count(*) from person) as people,
              (select count(*) from requirement_assignment) as assignments,
              (select count(*) from requirement_assignment where status = 'done') as done,
              (select count(*) from requirement_assignment where status <> 'done') as open`,
    );
    expect(Number(counts.people)).toBe(400);
    expect(Number(counts.assignments)).toBe(result.assignments);
    // Roughly 5 to 10 assignments per person, and both done and open ones.
    expect(result.assignments).toBeGreaterThan(400 * 4);
    expect(Number(counts.done)).toBeGreaterThan(0);
    expect(Number(counts.open)).toBeGreaterThan(0);
    // One completion can meet two rules (the US check and the admin re-screening).
    expect(Number(counts.done)).toBeGreaterThanOrEqual(result.completions);
  });
});
