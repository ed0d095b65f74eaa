import type { AppConfig } from '../config/app-config';
import { SeedModule } from '../seed/seed.module';
import { SeedService } from '../seed/seed.service';
import { withModuleContext } from './cli-context';
import { type CliIo, EXIT_FAILED, EXIT_OK } from './cli-io';

export interface SeedCommandOptions {
  readonly people: number;
  /** Signed attestations with sealed PDFs (sealing is the slow part: about 100 a second). */
  readonly attestations: number;
}

/**
 * `attest seed --people N [--attestations N]`: a synthetic organisation for demos and
 * benchmarks, with signed attestations so there is evidence to export.
 */
export async function runSeed(
  config: AppConfig,
  options: SeedCommandOptions,
  io: CliIo,
): Promise<number> {
  if (config.isProduction) {
    io.err('attest seed adds synthetic people; it refuses to run with NODE_ENV=production.');
    return EXIT_FAILED;
  }
  return withModuleContext(
    config,
    (database) => SeedModule.forRoot(config, database),
    async (context) => {
      const started = Date.now();
      const result = await context
        .get(SeedService)
        .seed(options.people, (line) => io.out(line), { attestations: options.attestations });
      io.out(
        `Seeded ${result.people} people, ${result.assignments} assignments, ${result.completions} completions and ${result.attestations} sealed attestations in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
      );
      return EXIT_OK;
    },
  );
}
