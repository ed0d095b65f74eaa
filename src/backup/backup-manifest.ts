import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import { OperatorError } from '../common/errors/operator.error';
import { MIGRATIONS } from '../database/migrations';
import { BackupUnreadable, RestoreRefused } from './backup.errors';

export type BackupDatabaseKind = 'postgresql' | 'embedded';

/** The first entry of every backup: what it holds, so a restore can check it arrived whole. */
export interface BackupManifest {
  readonly format: 'attest-backup';
  readonly formatVersion: 1;
  readonly createdAt: string;
  readonly database: BackupDatabaseKind;
  readonly attestVersion: string;
  /** The last migration applied to the database backed up. */
  readonly lastMigration: string;
  /** Rows of the evidence tables, counted in the snapshot that was dumped. */
  readonly counts: Readonly<Record<string, number>>;
  /** DATA_DIR files in the backup (`--with-keys`), relative to DATA_DIR. */
  readonly keyFiles: readonly string[];
}

/**
 * The tables whose rows are the evidence an auditor relies on, counted at backup and again
 * after a restore: a restore that lost a row of any of them fails.
 */
export const EVIDENCE_TABLES = [
  'person',
  'document_version',
  'esign_consent',
  'signature',
  'attestation',
  'requirement_completion',
  'requirement_waiver',
  'background_check',
  'background_check_event',
  'quiz_attempt',
  'audit_event',
] as const;

export const MANIFEST_ENTRY = 'manifest.json';
/** The dump entry of each database kind: pg_dump's custom format, or PGlite's data directory. */
const DUMP_ENTRIES: Record<BackupDatabaseKind, string> = {
  postgresql: 'database.dump',
  embedded: 'pglite-datadir.tar.gz',
};

export const dumpEntryOf = (database: BackupDatabaseKind) => DUMP_ENTRIES[database];
export const MAX_MANIFEST_BYTES = 64 * 1024;

/** package.json's version, from src/backup and dist/backup alike. */
export function attestVersion(): string {
  const file = join(__dirname, '..', '..', 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/** Rows per table (the evidence tables unless named), as the EntityManager's transaction sees them. */
export async function countEvidence(
  em: EntityManager,
  tables: readonly string[] = EVIDENCE_TABLES,
): Promise<Record<string, number>> {
  // Names come from this file or from an authenticated manifest; still, only plain identifiers.
  const names = tables.filter((table) => /^[a-z_][a-z0-9_]{0,62}$/.test(table));
  if (names.length === 0) return {};
  const select = names.map((t) => `(select count(*) from ${t})::text as ${t}`);
  const [row] = await em.execute<Record<string, string>[]>(`select ${select.join(', ')}`);
  return Object.fromEntries(names.map((table) => [table, Number(row[table])]));
}

/** The last applied migration; refuses a database Attest never migrated. */
export async function lastMigration(em: EntityManager): Promise<string> {
  const [table] = await em.execute<{ name: string | null }[]>(
    "select to_regclass('public.mikro_orm_migrations')::text as name",
  );
  const rows = table?.name
    ? await em.execute<{ name: string }[]>(
        'select name from mikro_orm_migrations order by id desc limit 1',
      )
    : [];
  if (rows.length === 0) {
    throw new OperatorError(
      'The database has no Attest schema: there is nothing to back up. Check DATABASE_URL (or DATA_DIR).',
    );
  }
  return rows[0].name;
}

function isCounts(value: unknown): value is Record<string, number> {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.values(value).every((n) => Number.isInteger(n) && (n as number) >= 0)
  );
}

/** Reads and checks a manifest; the cipher vouches for its bytes, this for its shape. */
export function parseManifest(bytes: Buffer): BackupManifest {
  let value: Partial<BackupManifest>;
  try {
    value = JSON.parse(bytes.toString('utf8')) as Partial<BackupManifest>;
  } catch {
    value = {};
  }
  const valid =
    value.format === 'attest-backup' &&
    value.formatVersion === 1 &&
    typeof value.createdAt === 'string' &&
    (value.database === 'postgresql' || value.database === 'embedded') &&
    typeof value.attestVersion === 'string' &&
    typeof value.lastMigration === 'string' &&
    isCounts(value.counts) &&
    Array.isArray(value.keyFiles) &&
    value.keyFiles.every((f) => typeof f === 'string');
  if (!valid) {
    throw new BackupUnreadable(
      'unsupported',
      'The backup’s manifest.json is not one this Attest reads.',
    );
  }
  return value as BackupManifest;
}

/** Refuses a backup whose schema is newer than this Attest's migrations. */
export function checkMigrationKnown(manifest: BackupManifest): { behind: number } {
  const index = MIGRATIONS.findIndex((m) => m.name === manifest.lastMigration);
  if (index < 0) {
    throw new RestoreRefused(
      `This backup was made by Attest ${manifest.attestVersion}, whose schema (migration ${manifest.lastMigration}) this version does not know: restore it with that version or a later one. Nothing was changed.`,
    );
  }
  return { behind: MIGRATIONS.length - 1 - index };
}
