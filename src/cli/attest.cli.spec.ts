import type { AppConfig } from '../config/app-config';
import { ConfigError } from '../config/config.error';
import { runCli } from './attest.cli';
import { type CliIo, EXIT_OK, EXIT_USAGE } from './cli-io';

function capture(): CliIo & { text: () => string } {
  const lines: string[] = [];
  return {
    out: (l) => lines.push(l),
    err: (l) => lines.push(l),
    text: () => lines.join('\n'),
  };
}

describe(runCli.name, () => {
  const neverLoaded = jest.fn<AppConfig, []>(() => {
    throw new Error('configuration must not be read for usage errors');
  });

  afterEach(() => neverLoaded.mockClear());

  it.each([
    ['an unknown command', ['frobnicate']],
    ['an unknown flag', ['migrate', '--frobnicate']],
    ['an unexpected argument', ['migrate', 'extra']],
    ['no command at all', []],
    ['a seed without --people', ['seed']],
    ['a seed with a bad count', ['seed', '--people', 'many']],
  ])('prints usage and exits 2 for %s', async (_case, argv) => {
    const io = capture();
    expect(await runCli(argv, neverLoaded, io)).toBe(EXIT_USAGE);
    expect(io.text()).toContain('Usage: attest');
    expect(neverLoaded).not.toHaveBeenCalled();
  });

  it('lists the commands for --help and exits 0', async () => {
    const io = capture();
    expect(await runCli(['--help'], neverLoaded, io)).toBe(EXIT_OK);
    expect(io.text()).toMatch(/migrate \[options\]\s+apply the committed database migrations/);
  });

  it('reports a configuration problem as one message and exit 1', async () => {
    const io = capture();
    const code = await runCli(
      ['migrate'],
      () => {
        throw new ConfigError([{ variable: 'DATABASE_URL', problem: 'must be a postgres:// URL' }]);
      },
      io,
    );
    expect(code).toBe(1);
    expect(io.text()).toContain('DATABASE_URL must be a postgres:// URL');
  });
});
