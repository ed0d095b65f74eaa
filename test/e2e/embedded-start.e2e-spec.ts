import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AppProcess,
  cleanEnv,
  freePort,
  queryEmbedded,
  ROOT,
  waitUntilGone,
} from '../helpers/app-process';

const START_TIMEOUT_MS = 90_000;

describe('npm start with no DATABASE_URL (the embedded default)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'attest-embedded-'));

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  async function startAndStop(port: number, check: (base: string) => Promise<void>) {
    const app = new AppProcess(
      'npm',
      // The README's command; test/system-tools.global-setup.ts has built dist/ already.
      ['start', '--ignore-scripts'],
      // The demo organisation's first start is quiet-start.e2e-spec's; this one times restarts.
      cleanEnv({ DATA_DIR: dataDir, PORT: String(port), DEMO_DATA: 'false' }),
    );
    const base = `http://127.0.0.1:${port}`;
    try {
      await app.waitFor(`${base}/healthz`, START_TIMEOUT_MS);
      await check(base);
    } finally {
      app.stop();
      await app.exited;
      // The server releases the embedded database only after a clean shutdown.
      await waitUntilGone(join(dataDir, 'pg.lock'), 15_000);
    }
    return app.output;
  }

  it(
    'serves /healthz and /readyz, and keeps its data across a restart',
    async () => {
      const port = await freePort();
      const firstOutput = await startAndStop(port, async (base) => {
        expect((await fetch(`${base}/readyz`)).status).toBe(200);
      });
      expect(firstOutput).toContain(
        `Attest is ready at http://localhost:${port} (embedded database)`,
      );
      const secrets = readFileSync(join(dataDir, 'secrets.json'), 'utf8');
      expect(statSync(join(dataDir, 'secrets.json')).mode & 0o777).toBe(0o600);

      await startAndStop(port, async (base) => {
        expect((await fetch(`${base}/readyz`)).status).toBe(200);
      });

      // Each start appends a `system.started` event: the second links to the first, which
      // therefore survived the restart unchanged.
      const starts = queryEmbedded<{ seq: number; prev_hash: string; hash: string }>(
        dataDir,
        "select seq, prev_hash, hash from audit_event where action = 'system.started' order by seq",
      );
      expect(starts).toHaveLength(2);
      expect(starts[1].prev_hash).toBe(starts[0].hash);
      // The generated secrets were reused, not regenerated.
      expect(readFileSync(join(dataDir, 'secrets.json'), 'utf8')).toBe(secrets);
    },
    4 * START_TIMEOUT_MS,
  );

  it('refuses to start in production without secrets, naming each one', () => {
    const run = spawnSync(join(ROOT, 'node_modules', '.bin', 'node'), ['dist/main.js'], {
      cwd: ROOT,
      env: cleanEnv({ NODE_ENV: 'production', DATA_DIR: dataDir }),
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    for (const variable of [
      'SESSION_SECRET',
      'DATA_ENCRYPTION_KEY',
      'DATABASE_URL',
      'SAML_IDP_SSO_URL',
    ]) {
      expect(run.stderr).toContain(variable);
    }
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
