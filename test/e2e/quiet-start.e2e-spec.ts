import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess, cleanEnv, freePort, waitUntilGone } from '../helpers/app-process';

const START_TIMEOUT_MS = 240_000;

interface LogLine {
  level: number;
  msg: string;
  context?: string;
}

/** pino's levels: what a console at the default LOG_LEVEL=info shows is 30 and above. */
const INFO = 30;

function logLines(output: string): LogLine[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

describe('the console at a first `npm start` (development, embedded database)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'attest-quiet-'));
  let output = '';
  let port = 0;

  beforeAll(async () => {
    port = await freePort();
    const app = new AppProcess(
      'npm',
      // The README's command; test/system-tools.global-setup.ts has built dist/ already.
      ['start', '--ignore-scripts'],
      cleanEnv({ DATA_DIR: dataDir, PORT: String(port) }),
    );
    try {
      await app.waitFor(`http://127.0.0.1:${port}/healthz`, START_TIMEOUT_MS);
    } finally {
      // The process may have exited already (a failed build): its output says why.
      if ((await Promise.race([app.exited.then(() => true), Promise.resolve(false)])) === false) {
        app.stop();
      }
      await app.exited;
      await waitUntilGone(join(dataDir, 'pg.lock'), 15_000);
      output = app.output;
    }
  }, START_TIMEOUT_MS + 30_000);

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('shows one line with the URL and how to sign in', () => {
    const ready = logLines(output).filter((l) => l.msg.includes(`http://localhost:${port}`));
    expect(ready.map((l) => [l.level, l.msg])).toEqual([
      [
        INFO,
        `Attest is ready at http://localhost:${port} (embedded database): sign in through the demo identity provider`,
      ],
    ]);
  });

  it("keeps Nest's module and route lines off the console at info", () => {
    const shown = logLines(output).filter((l) => l.level >= INFO);
    expect(shown.filter((l) => l.msg.startsWith('Mapped {'))).toEqual([]);
    expect(
      shown.filter((l) =>
        [
          'InstanceLoader',
          'RoutesResolver',
          'RouterExplorer',
          'NestFactory',
          'NestApplication',
        ].includes(l.context ?? ''),
      ),
    ).toEqual([]);
    // What is left is Attest's own: documents published, the demo organisation, ready, stop.
    expect(shown.length).toBeLessThanOrEqual(6);
  });

  it('says before the long first-start work that it is creating the demo, then once that it did', () => {
    const messages = logLines(output).map((l) => l.msg);
    const starting = messages.findIndex((m) => m.startsWith('creating the demo organisation'));
    const demo = logLines(output).filter((l) => l.msg.startsWith('demo organisation created'));
    expect(demo).toHaveLength(1);
    expect(demo[0].level).toBe(INFO);
    expect(starting).toBeGreaterThanOrEqual(0);
    expect(starting).toBeLessThan(messages.indexOf(demo[0].msg));
  });
});
