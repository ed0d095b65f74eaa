import type { MikroORM } from '@mikro-orm/postgresql';
import { AuditChainVerifier } from '../audit/audit-chain.verifier';
import { AuditEventRepository } from '../audit/audit-event.repository';
import type { AppConfig } from '../config/app-config';
import { withOrm } from './cli-context';
import { type CliIo, EXIT_FAILED, EXIT_OK } from './cli-io';

export interface AuditVerifyOptions {
  /** Print a progress line to stderr after every this many events. */
  progressEvery?: number;
}

/** The check itself, given an open ORM: what the command and its tests run. */
export async function verifyAuditLog(
  orm: MikroORM,
  options: AuditVerifyOptions,
  io: CliIo,
): Promise<number> {
  const started = Date.now();
  const verdict = await new AuditChainVerifier(new AuditEventRepository(orm.em)).verify({
    progressEvery: options.progressEvery,
    onProgress: (checked, seq) =>
      io.err(`  ${checked.toLocaleString('en')} events checked (up to seq ${seq})`),
  });
  const took = `${((Date.now() - started) / 1000).toFixed(1)} s`;
  if (verdict.intact) {
    io.out(
      verdict.head
        ? `Audit chain intact: ${verdict.events} events, last seq ${verdict.head.seq}, last hash ${verdict.head.hash} (${took}).`
        : 'Audit chain intact: the audit log is empty.',
    );
    if (verdict.purged > 0) {
      // A purged payload cannot be re-hashed; what stays is vouched for (src/audit/audit-purge.ts).
      io.out(
        `${verdict.purged} event(s)' payloads purged under retention (links verified, content not re-hashable; their kept fields match the retention.purged events that cleared them).`,
      );
    }
    return EXIT_OK;
  }
  io.err(`Audit chain broken: ${verdict.problem.message}.`);
  io.err(`Checked ${verdict.events} events before stopping.`);
  return EXIT_FAILED;
}

/**
 * `attest audit verify`: walks the whole audit chain and names the first edited, deleted,
 * inserted or reordered event. Keep the last seq and hash it prints somewhere else: a later run
 * that still shows that event with that hash proves nothing before it was rewritten.
 */
export function runAuditVerify(
  config: AppConfig,
  options: AuditVerifyOptions,
  io: CliIo,
): Promise<number> {
  return withOrm(config, (orm) => verifyAuditLog(orm, options, io));
}
