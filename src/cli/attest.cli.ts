import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { describeFailure } from '../common/errors/operator.error';
import type { AppConfig } from '../config/app-config';
import { type CliIo, EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './cli-io';
import { runDocumentsSync } from './documents-sync.command';
import { runKeysRotate } from './keys-rotate.command';
import { runImportPeople } from './import-people.command';
import { runMigrate } from './migrate.command';
import { runSeed } from './seed.command';
import { createToken, listTokens, revokeToken, runToken } from './token.command';

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

  const token = program.command('token').description('issue, revoke and list API tokens');
  token
    .command('create')
    .description('issue a token and print it once; only its hash is stored')
    .requiredOption('--name <name>', 'a unique name, e.g. acme-screening')
    .requiredOption('--role <role>', 'integration or auditor')
    .option('--expires <days>', 'lifetime such as 90d; without it, until revoked')
    .action(async (options: { name: string; role: string; expires?: string }) => {
      setExit(await runToken(loadConfig(), createToken(options), io));
    });
  token
    .command('revoke')
    .description('refuse a token from now on')
    .requiredOption('--name <name>', 'the token to revoke')
    .action(async (options: { name: string }) => {
      setExit(await runToken(loadConfig(), revokeToken(options.name), io));
    });
  token
    .command('list')
    .description('list tokens, never their secrets')
    .action(async () => {
      setExit(await runToken(loadConfig(), listTokens(), io));
    });

  program
    .command('keys')
    .description('manage the data encryption key')
    .command('rotate')
    .description('re-encrypt stored values under DATA_ENCRYPTION_KEY')
    .option(
      '--previous-key-file <path>',
      'a file holding a retired key (base64); repeat for several',
      (path: string, all: string[]) => [...all, path],
      [] as string[],
    )
    .action(async (options: { previousKeyFile: string[] }) => {
      setExit(await runKeysRotate(loadConfig(), { previousKeyFiles: options.previousKeyFile }, io));
    });

  program
    .command('import')
    .description('import data from a file')
    .command('people')
    .argument('<file>', 'a people CSV file (see policies/people.example.csv)')
    .description('create and update people from a CSV file; all rows or none')
    .action(async (file: string) => {
      setExit(await runImportPeople(loadConfig(), file, io));
    });

  program
    .command('documents')
    .description('manage the documents in policies/')
    .command('sync')
    .description(
      'publish new document versions; refuses changed files whose version was not bumped',
    )
    .action(async () => {
      setExit(await runDocumentsSync(loadConfig(), io));
    });

  program
    .command('seed')
    .description('fill the database with a synthetic organisation (not in production)')
    .requiredOption('--people <count>', 'how many people to create', (value: string) => {
      const count = Number(value);
      if (!Number.isInteger(count) || count < 1 || count > 1_000_000) {
        throw new InvalidArgumentError('must be a whole number from 1 to 1,000,000');
      }
      return count;
    })
    .action(async (options: { people: number }) => {
      setExit(await runSeed(loadConfig(), options.people, io));
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
