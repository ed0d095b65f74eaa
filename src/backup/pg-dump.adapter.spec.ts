import { spawn } from 'node:child_process';
import { DumpToolFailed } from './backup.errors';
import { libpqConnection, PgDumpAdapter } from './pg-dump.adapter';

const URL_WITH_PASSWORD = 'postgres://attest:s3cr%40t-pass@db.internal:5432/attest?sslmode=require';

/** Runs a shell snippet in place of the real program, recording what it was asked to run. */
function fakeTool(script: string) {
  const calls: Array<{ program: string; args: string[]; env: NodeJS.ProcessEnv }> = [];
  const run = ((program: string, args: string[], options: { env: NodeJS.ProcessEnv }) => {
    calls.push({ program, args, env: options.env });
    return spawn('sh', ['-c', script], options as never);
  }) as unknown as typeof spawn;
  return { calls, sut: new PgDumpAdapter(run) };
}

async function drain(source: AsyncIterable<Buffer>): Promise<string> {
  let text = '';
  for await (const chunk of source) text += chunk.toString();
  return text;
}

describe(PgDumpAdapter.name, () => {
  it('gives libpq the URL without its password, and the password in PGPASSWORD', () => {
    expect(libpqConnection(URL_WITH_PASSWORD)).toEqual({
      url: 'postgres://attest@db.internal:5432/attest?sslmode=require',
      env: { PGPASSWORD: 's3cr@t-pass' },
    });
    expect(libpqConnection('postgres://postgres@127.0.0.1:5432/test').env).toEqual({});
  });

  it('streams pg_dump --format=custom of the snapshot, never putting the password in its arguments', async () => {
    const { calls, sut } = fakeTool('printf dump-bytes');
    expect(await drain(sut.dump(URL_WITH_PASSWORD, { snapshot: '00000003-1' }))).toBe('dump-bytes');
    const [call] = calls;
    expect(call.program).toBe('pg_dump');
    expect(call.args).toEqual([
      '--format=custom',
      '--no-owner',
      '--dbname=postgres://attest@db.internal:5432/attest?sslmode=require',
      '--snapshot=00000003-1',
    ]);
    expect(call.args.join(' ')).not.toContain('s3cr');
    expect(call.env.PGPASSWORD).toBe('s3cr@t-pass');
  });

  it('passes the environment on without Attest’s own settings and secrets', async () => {
    const names = ['DATA_ENCRYPTION_KEY', 'BACKUP_KEY', 'BACKUP_PASSPHRASE', 'DATABASE_URL'];
    const saved = names.map((name) => [name, process.env[name]] as const);
    names.forEach((name) => (process.env[name] = 'inherited'));
    try {
      const { calls, sut } = fakeTool('true');
      await drain(sut.dump('postgres://postgres@127.0.0.1/test'));
      expect(calls[0].env.PATH).toBe(process.env.PATH);
      for (const name of names) expect(calls[0].env).not.toHaveProperty(name);
    } finally {
      for (const [name, value] of saved) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('fails with pg_dump’s own words, credentials masked, when it exits non-zero', async () => {
    const { sut } = fakeTool(
      'printf partial; echo "pg_dump: error: connection to postgres://attest:s3cr@db failed" >&2; exit 1',
    );
    const failed = drain(sut.dump(URL_WITH_PASSWORD));
    await expect(failed).rejects.toBeInstanceOf(DumpToolFailed);
    await expect(failed).rejects.toThrow(
      'pg_dump failed (exit 1): pg_dump: error: connection to postgres://attest:***@db failed',
    );
  });

  it('names the Debian package to install when pg_dump or pg_restore is missing', async () => {
    const missing = ((_: string, args: string[], options: object) =>
      spawn('attest-no-such-program', args, options)) as unknown as typeof spawn;
    const sut = new PgDumpAdapter(missing);
    await expect(drain(sut.dump(URL_WITH_PASSWORD))).rejects.toThrow(
      /^pg_dump was not found on PATH\. .*apt-get install postgresql-client/,
    );
    await expect(sut.restore(URL_WITH_PASSWORD, '/tmp/x', { clean: false })).rejects.toThrow(
      /^pg_restore was not found on PATH/,
    );
  });

  it('restores in one transaction that stops at the first error; --force adds --clean --if-exists', async () => {
    const { calls, sut } = fakeTool('true');
    await sut.restore(URL_WITH_PASSWORD, '/tmp/restore/database.dump', { clean: true });
    expect(calls[0].program).toBe('pg_restore');
    expect(calls[0].args).toEqual([
      '--no-owner',
      '--single-transaction',
      '--exit-on-error',
      '--dbname=postgres://attest@db.internal:5432/attest?sslmode=require',
      '--clean',
      '--if-exists',
      '/tmp/restore/database.dump',
    ]);
  });
});
