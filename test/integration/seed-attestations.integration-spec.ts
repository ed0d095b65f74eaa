import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AttestationVerificationService } from '../../src/attestations/attestation-verification.service';
import { loadConfig } from '../../src/config/config.loader';
import { migrate } from '../../src/database/migration.runner';
import { AttestationSeeder } from '../../src/seed/attestation-seeder';
import { SeedModule } from '../../src/seed/seed.module';
import { type SeedResult, SeedService } from '../../src/seed/seed.service';
import { TEST_SECRETS } from '../helpers/test-app';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';

const ATTESTATIONS = 12;

/** `attest seed --attestations N`: signatures with real sealed PDFs and their whole evidence. */
describe(AttestationSeeder.name, () => {
  let db: TestDatabase;
  let context: INestApplicationContext;
  let result: SeedResult;
  const lines: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    const config = loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'attest-seed-attestations-')),
      ...TEST_SECRETS,
    });
    context = await NestFactory.createApplicationContext(SeedModule.forRoot(config, db), {
      logger: false,
      abortOnError: false,
    });
    await migrate(context.get(MikroORM));
    result = await context.get(SeedService).seed(50, (l) => lines.push(l), {
      attestations: ATTESTATIONS,
    });
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await db?.close();
  });

  it('makes exactly the attestations asked for, and says how it is going', () => {
    expect(result.attestations).toBe(ATTESTATIONS);
    const done = `attestations: ${ATTESTATIONS} of ${ATTESTATIONS} (`;
    expect(lines.some((line) => line.startsWith(done))).toBe(true);
  });

  it('gives every attestation its signature, consent, first view and completion', async () => {
    const rows = await db.query<{
      consent: number;
      views: number;
      completion_source: string;
      assignment_done: boolean;
      kind: string;
    }>(
      `select a.kind,
              (select count(*) from esign_consent c where c.person_id = s.person_id) as consent,
              (select count(*) from document_view v
                where v.person_id = s.person_id and v.document_version_id = s.document_version_id) as views,
              (select c.source from requirement_completion c where c.reference = s.id::text) as completion_source,
              (select bool_or(r.status = 'done') from requirement_assignment r
                where r.person_id = s.person_id and r.subject = s.document_id) as assignment_done
         from attestation a join signature s on s.id = a.signature_id`,
    );
    expect(rows).toHaveLength(ATTESTATIONS);
    for (const row of rows) {
      expect({ ...row, consent: Number(row.consent), views: Number(row.views) }).toMatchObject({
        consent: 1,
        views: 1,
        completion_source: row.kind === 'training' ? 'training' : 'signature',
        assignment_done: true,
      });
    }
  });

  it('seals PDFs that verify and carry the audit trail of consent, view and signature', async () => {
    const [row] = await db.query<{ pdf: Buffer; evidence: { auditTrail: { action: string }[] } }>(
      `select pdf, evidence from attestation where kind = 'signature' limit 1`,
    );
    const outcome = await context
      .get(AttestationVerificationService)
      .verifyFile(Buffer.from(row.pdf));
    expect(outcome).toEqual(expect.objectContaining({ valid: true }));
    expect(row.evidence.auditTrail.map((e) => e.action)).toEqual(
      expect.arrayContaining(['esign.consented', 'document.viewed', 'document.signed']),
    );
  });

  it('imports no second completion for what was signed', async () => {
    const [{ duplicates }] = await db.query<{ duplicates: number }>(
      `select count(*) as duplicates from (
         select person_id, kind, subject from requirement_completion
          group by 1, 2, 3 having count(*) > 1) d`,
    );
    expect(Number(duplicates)).toBe(0);
  });
});
