import type { AppConfig } from '../config/app-config';
import { runCli } from './attest.cli';
import { type CliIo, EXIT_OK, EXIT_USAGE } from './cli-io';

function capture(): CliIo & { text: () => string } {
  const lines: string[] = [];
  return { out: (l) => lines.push(l), err: (l) => lines.push(l), text: () => lines.join('\n') };
}

describe('attest token and attest keys', () => {
  const neverLoaded = jest.fn<AppConfig, []>(() => {
    throw new Error('configuration must not be read for usage errors');
  });

  it.each([
    ['token create without --name', ['token', 'create', '--role', 'integration']],
    ['token create without --role', ['token', 'create', '--name', 'acme']],
    ['token revoke without --name', ['token', 'revoke']],
    ['keys rotate with an unknown flag', ['keys', 'rotate', '--frobnicate']],
  ])('exits 2 for %s, before reading configuration', async (_case, argv) => {
    const io = capture();
    expect(await runCli(argv, neverLoaded, io)).toBe(EXIT_USAGE);
    expect(neverLoaded).not.toHaveBeenCalled();
  });

  it('documents the previous key file option', async () => {
    const io = capture();
    expect(await runCli(['keys', 'rotate', '--help'], neverLoaded, io)).toBe(EXIT_OK);
    expect(io.text()).toContain('--previous-key-file <path>');
  });
});
