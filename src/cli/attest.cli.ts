import { Command, CommanderError } from 'commander';
import { describeFailure } from '../common/errors/operator.error';
import type { AppConfig } from '../config/app-config';
import { type CliIo, EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './cli-io';
import { runMigrate } from './migrate.command';

/** Loads configuration lazily, so `--help` and usage errors work without a valid environment. */
export type ConfigSource = () => AppConfig;

function buildProgram(loadConfig: ConfigSource, io: CliIo, setExit: (code: number) => void) {
  const program = new Command('attest')
    .description('Attest: security onboarding and policy attestation')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .showHelpAfterError()
    .allowExcessArguments(false);

  program
    .command('migrate')
    .description('apply the committed database migrations')
    .option('--check', 'list pending migrations and exit 1 if there are any')
    .action(async (options: { check?: boolean }) => {
      setExit(await runMigrate(loadConfig(), { check: options.check }, io));
    });

  return program;
}

/** Runs one `attest` command line and returns its exit code. Never calls process.exit. */
export async function runCli(argv: string[], loadConfig: ConfigSource, io: CliIo): Promise<number> {
  let code = EXIT_OK;
  const program = buildProgram(loadConfig, io, (c) => (code = c));
  if (argv.length === 0) {
    program.outputHelp();
    return EXIT_USAGE;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      const helpShown = ['commander.helpDisplayed', 'commander.help', 'commander.version'];
      return helpShown.includes(error.code) ? EXIT_OK : EXIT_USAGE;
    }
    io.err(describeFailure(error, 'The command failed.'));
    return EXIT_FAILED;
  }
}
