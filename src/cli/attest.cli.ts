import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { describeFailure } from '../common/errors/operator.error';
import type { AppConfig } from '../config/app-config';
import { runAuditVerify } from './audit-verify.command';
import { runBackup } from './backup.command';
import { type CliIo, EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './cli-io';
import { runDocumentsSync } from './documents-sync.command';
import { runExport } from './export.command';
import { runKeysRotate } from './keys-rotate.command';
import { runImportPeople } from './import-people.command';
import { runMigrate } from './migrate.command';
import { runNotifications } from './notifications.command';
import { runRetentionApply, runRetentionPlan } from './retention.command';
import { runRestore } from './restore.command';
import { runSeed } from './seed.command';
import { createToken, listTokens, revokeToken, runToken } from './token.command';
import { runVerify } from './verify.command';

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
    .requiredOption('--role <role>', 'integration, auditor or scim')
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
    .command('audit')
    .description('check the audit log')
    .command('verify')
    .description('walk the hash chain; name the first edited, deleted, inserted or reordered event')
    .option(
      '--progress-every <events>',
      'print progress to stderr after every so many events',
      (value: string) => {
        const every = Number(value);
        if (!Number.isInteger(every) || every < 1) {
          throw new InvalidArgumentError('must be a whole number above 0');
        }
        return every;
      },
      100_000,
    )
    .action(async (options: { progressEvery: number }) => {
      setExit(await runAuditVerify(loadConfig(), { progressEvery: options.progressEvery }, io));
    });

  program
    .command('notifications')
    .description('reminders and escalations')
    .command('run')
    .description('one scheduler pass now, then deliver; prints what was queued, held back and sent')
    .option(
      '--at <time>',
      'evaluate the rules as of this ISO 8601 time, e.g. 2026-12-07T09:00:00Z',
      (value: string) => {
        const at = new Date(value);
        if (
          !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) ||
          Number.isNaN(at.getTime())
        ) {
          throw new InvalidArgumentError(
            'must be an ISO 8601 time with a zone, e.g. 2026-12-07T09:00:00Z',
          );
        }
        return at;
      },
    )
    .option('--no-deliver', 'queue only; the running app delivers')
    .action(async (options: { at?: Date; deliver: boolean }) => {
      setExit(await runNotifications(loadConfig(), options, io));
    });

  const retention = program
    .command('retention')
    .description('apply policies/retention.yml: what is kept how long');
  retention
    .command('plan')
    .description('print what would be purged now, by kind and rule, and what legal holds keep')
    .action(async () => {
      setExit(await runRetentionPlan(loadConfig(), io));
    });
  retention
    .command('apply')
    .description('purge what has run out, in audited batches; run again to resume')
    .option(
      '--batch-size <records>',
      'records per batch (each its own transaction and audit event)',
      (value: string) => {
        const size = Number(value);
        if (!Number.isInteger(size) || size < 1 || size > 10_000) {
          throw new InvalidArgumentError('must be a whole number from 1 to 10,000');
        }
        return size;
      },
      500,
    )
    .action(async (options: { batchSize: number }) => {
      setExit(await runRetentionApply(loadConfig(), { batchSize: options.batchSize }, io));
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
    .option(
      '--attestations <count>',
      'signed attestations with sealed PDFs to create (default: people, at most 2,000)',
      (value: string) => {
        const count = Number(value);
        if (!Number.isInteger(count) || count < 0 || count > 1_000_000) {
          throw new InvalidArgumentError('must be a whole number from 0 to 1,000,000');
        }
        return count;
      },
    )
    .action(async (options: { people: number; attestations?: number }) => {
      const attestations = options.attestations ?? Math.min(options.people, 2000);
      setExit(await runSeed(loadConfig(), { people: options.people, attestations }, io));
    });

  program
    .command('export')
    .description(
      'write an auditor export: sealed PDFs, index.csv, follow-up.csv, manifest.json and its signature',
    )
    .requiredOption('--out <file>', 'the ZIP to write, e.g. evidence.zip')
    .option('--from <date>', 'first signing day, YYYY-MM-DD (UTC)')
    .option('--to <date>', 'last signing day, YYYY-MM-DD (UTC)')
    .option('--department <name>', 'only people of this department, as HR records it')
    .option('--control <id>', 'only evidence of this control in policies/controls.yml')
    .action(
      async (options: {
        out: string;
        from?: string;
        to?: string;
        department?: string;
        control?: string;
      }) => {
        setExit(await runExport(loadConfig(), options, io));
      },
    );

  program
    .command('backup')
    .description(
      'write an encrypted backup of the whole database; BACKUP_KEY or a passphrase encrypts it',
    )
    .requiredOption('--out <file>', 'the file to write, e.g. attest-2026-12-07.backup')
    .option(
      '--with-keys',
      "also DATA_DIR's key files: local secrets, development seal, SAML SP keys",
    )
    .option('--passphrase-file <path>', 'encrypt with the passphrase in this file')
    .action(async (options: { out: string; withKeys?: boolean; passphraseFile?: string }) => {
      setExit(
        await runBackup(
          loadConfig(),
          {
            out: options.out,
            withKeys: options.withKeys === true,
            passphraseFile: options.passphraseFile,
          },
          io,
        ),
      );
    });

  program
    .command('restore')
    .argument('<file>', 'a file written by attest backup')
    .description('restore a backup into an empty database, once the whole file has authenticated')
    .option('--force', 'restore over a database that is not empty (embedded: moved aside)')
    .option('--with-keys', "also write the backup's DATA_DIR key files")
    .option('--passphrase-file <path>', 'decrypt with the passphrase in this file')
    .action(
      async (
        file: string,
        options: { force?: boolean; withKeys?: boolean; passphraseFile?: string },
      ) => {
        setExit(
          await runRestore(
            loadConfig(),
            {
              file,
              force: options.force === true,
              withKeys: options.withKeys === true,
              passphraseFile: options.passphraseFile,
            },
            io,
          ),
        );
      },
    );

  program
    .command('verify')
    .argument('<file>', 'an attestation PDF or an export ZIP')
    .description('check an attestation PDF or an export ZIP; exit 1 with the reason if invalid')
    .action(async (file: string) => {
      setExit(await runVerify(loadConfig(), file, io));
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
