import type { AppConfig } from '../config/app-config';
import { KIND_WORDS } from '../retention/retention-policy';
import { RetentionModule } from '../retention/retention.module';
import { type RetentionLine, RetentionService } from '../retention/retention.service';
import { withAppContext } from './cli-context';
import { type CliIo, EXIT_OK } from './cli-io';

export interface RetentionApplyOptions {
  /** Records per batch: each batch is one transaction with its own audit event. */
  readonly batchSize?: number;
}

/** Columns padded to their widest cell; counts right-aligned. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const numeric = (i: number) => i >= 2;
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (numeric(i) ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

function rowsOf(lines: readonly RetentionLine[]): string[][] {
  return lines.map((l) => [KIND_WORDS[l.kind], l.rule, String(l.count), String(l.held)]);
}

const total = (lines: readonly RetentionLine[], key: 'count' | 'held') =>
  lines.reduce((sum, l) => sum + l[key], 0);

/**
 * `attest retention plan`: what policies/retention.yml would purge now, by kind and rule, and
 * what legal holds keep. Changes nothing, and records nothing.
 */
export function runRetentionPlan(config: AppConfig, io: CliIo): Promise<number> {
  return withAppContext(config, [RetentionModule.forCli()], async (context) => {
    const plan = await context.get(RetentionService).plan();
    io.out(`Retention plan as of ${plan.at.toISOString()}: nothing has been changed.`);
    table(['Kind', 'Rule', 'Would purge', 'Held back'], rowsOf(plan.lines)).forEach((l) =>
      io.out(l),
    );
    io.out(
      `${total(plan.lines, 'count')} record(s) would be purged; ${total(plan.lines, 'held')} held back by legal holds. Run \`attest retention apply\` to purge them.`,
    );
    return EXIT_OK;
  });
}

/**
 * `attest retention apply`: purges what has run out, in batches, each batch one transaction
 * with one audit event (kind, count, rule). Progress goes to stderr. Stopped part way, it is
 * resumed by running it again: what is left is chosen by its state.
 */
export function runRetentionApply(
  config: AppConfig,
  options: RetentionApplyOptions,
  io: CliIo,
): Promise<number> {
  return withAppContext(config, [RetentionModule.forCli()], async (context) => {
    const started = Date.now();
    const run = await context.get(RetentionService).apply({
      batchSize: options.batchSize,
      trigger: 'cli',
      onProgress: (line, purged) =>
        io.err(`  ${KIND_WORDS[line.kind]} (${line.rule}): ${purged} purged so far`),
    });
    const took = `${((Date.now() - started) / 1000).toFixed(1)} s`;
    io.out(`Retention applied as of ${run.at.toISOString()} (${took}).`);
    table(['Kind', 'Rule', 'Purged', 'Held back'], rowsOf(run.lines)).forEach((l) => io.out(l));
    io.out(
      `${total(run.lines, 'count')} record(s) purged; ${total(run.lines, 'held')} held back by legal holds. Each batch is in the audit log as retention.purged.`,
    );
    return EXIT_OK;
  });
}
