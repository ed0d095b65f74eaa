import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/attest.cli';
import type { CliIo } from '../../src/cli/cli-io';
import { loadConfig } from '../../src/config/config.loader';
import { MIGRATIONS } from '../../src/database/migrations';
import { copyPolicies } from '../factories/policies.factory';
import { TEST_SECRETS } from '../helpers/test-app';

function capture(): CliIo & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (l) => lines.push(l), err: (l) => lines.push(l) };
}

// Each command opens the embedded database afresh, as a newcomer's shell would; four of them in
// one test take over a minute on a busy 2-core machine.
jest.setTimeout(180_000);

/** The `attest` command against the embedded database, as a newcomer runs it. */
describe('attest CLI on the embedded database', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'attest-cli-'));
  const env = { NODE_ENV: 'development', DATA_DIR: dataDir, ...TEST_SECRETS };
  const config = () => loadConfig(env);
  const policiesEnv = (dir: string) => ({ ...env, POLICIES_DIR: dir });

  it('migrate applies every migration once, and --check then reports nothing pending', async () => {
    const first = capture();
    expect(await runCli(['migrate', '--check'], config, first)).toBe(1);
    expect(first.lines[0]).toBe(`${MIGRATIONS.length} pending migration(s):`);

    const applied = capture();
    expect(await runCli(['migrate'], config, applied)).toBe(0);
    expect(applied.lines[0]).toBe(`Applied ${MIGRATIONS.length} migration(s):`);

    const again = capture();
    expect(await runCli(['migrate'], config, again)).toBe(0);
    expect(again.lines).toEqual(['The database schema is already up to date.']);
    expect(await runCli(['migrate', '--check'], config, capture())).toBe(0);
  });

  it('import people writes nothing for a file with a bad row, and imports the shipped example', async () => {
    const bad = join(dataDir, 'bad.csv');
    writeFileSync(
      bad,
      'email,full_name,employee_number,department,job_title,manager_email,employment_type,country,region,start_date,end_date,status\n' +
        'a@corp.example,A,E1,Eng,Dev,,employee,ZZ,,2026-02-30,,active\n',
    );
    const refused = capture();
    expect(await runCli(['import', 'people', bad], config, refused)).toBe(1);
    expect(refused.lines.join('\n')).toMatch(/line 2, column country/);
    expect(refused.lines.join('\n')).toMatch(/line 2, column start_date/);

    const example = join(__dirname, '..', '..', 'policies', 'people.example.csv');
    const done = capture();
    expect(await runCli(['import', 'people', example], config, done)).toBe(0);
    expect(done.lines.at(-1)).toMatch(/8 created, 0 updated, 0 unchanged/);
    const again = capture();
    expect(await runCli(['import', 'people', example], config, again)).toBe(0);
    expect(again.lines.at(-1)).toMatch(/0 created, 0 updated, 8 unchanged/);
  });

  it('documents sync publishes each version once and refuses an edit without a new version', async () => {
    const policies = copyPolicies();
    const withPolicies = () => loadConfig(policiesEnv(policies.dir));
    try {
      const first = capture();
      expect(await runCli(['documents', 'sync'], withPolicies, first)).toBe(0);
      expect(first.lines.at(-1)).toMatch(
        /^13 new version\(s\) published, 0 document\(s\) unchanged/,
      );
      const again = capture();
      expect(await runCli(['documents', 'sync'], withPolicies, again)).toBe(0);
      expect(again.lines.at(-1)).toMatch(
        /^0 new version\(s\) published, 13 document\(s\) unchanged/,
      );

      policies.write('documents/nda.md', `${policies.read('documents/nda.md')}\nEdited.\n`);
      const refused = capture();
      expect(await runCli(['documents', 'sync'], withPolicies, refused)).toBe(1);
      expect(refused.lines.join('\n')).toContain(
        'documents/nda.md: changed, but its version 1.0.0 was already published',
      );
    } finally {
      policies.remove();
    }
  });

  it('notifications run queues and delivers what is due as of --at, and nothing more a second time', async () => {
    // A Wednesday afternoon in Europe, morning on the US east coast.
    const at = '2027-03-03T15:00:00Z';
    const first = capture();
    expect(await runCli(['notifications', 'run', '--at', at], config, first)).toBe(0);
    const [headline] = first.lines;
    expect(headline).toMatch(
      /^Scheduler pass as of 2027-03-03T15:00:00.000Z: [1-9]\d* message\(s\) queued\.$/,
    );
    const queued = Number(/: (\d+) message/.exec(headline)![1]);
    expect(first.lines.some((line) => /^  Tasks and reminders: [1-9]\d*$/.test(line))).toBe(true);
    expect(first.lines.at(-1)).toBe(
      `Delivery (dev-mailbox): ${queued} sent, 0 failed, 0 to retry, 0 suppressed.`,
    );

    const again = capture();
    expect(await runCli(['notifications', 'run', '--at', at], config, again)).toBe(0);
    expect(again.lines[0]).toBe(
      'Scheduler pass as of 2027-03-03T15:00:00.000Z: 0 message(s) queued.',
    );

    const bad = capture();
    expect(await runCli(['notifications', 'run', '--at', 'next tuesday'], config, bad)).toBe(2);
    expect(bad.lines.join('\n')).toMatch(/must be an ISO 8601 time with a zone/);
  });
});
