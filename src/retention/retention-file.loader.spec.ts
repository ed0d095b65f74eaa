import { readFileSync } from 'node:fs';
import {
  DEFAULT_RETENTION_FILE,
  loadRetentionPolicy,
  parseRetentionPolicy,
} from './retention-file.loader';
import { EEA_COUNTRIES, RETENTION_KINDS, RetentionAnchor, RetentionKind } from './retention-policy';
import { RetentionFileInvalid } from './retention.errors';

const FILE = 'policies/retention.yml';

/** A valid policy, one line per kind; `replace` swaps a kind's line for other lines. */
function aPolicy(replace: Partial<Record<RetentionKind, string>> = {}, extra = ''): string {
  const line: Record<RetentionKind, string> = {
    [RetentionKind.Sessions]: 'sessions: { keep: 90 days, after: expiry }',
    [RetentionKind.NotificationBodies]: 'notification_bodies: { keep: 90 days, after: creation }',
    [RetentionKind.ExportZips]: 'export_zips: { keep: 30 days, after: creation }',
    [RetentionKind.TrainingAttempts]: 'training_attempts: { keep: 1 year, after: creation }',
    [RetentionKind.BackgroundCheckDetails]:
      'background_check_details: { keep: 1 year, after: completion }',
    [RetentionKind.BackgroundCheckStatus]:
      'background_check_status: { keep: 7 years, after: end_date }',
    [RetentionKind.Signatures]: 'signatures: { keep: 7 years, after: end_date }',
    [RetentionKind.AuditEvents]: 'audit_events: { keep: 7 years, after: end_date }',
  };
  const body = RETENTION_KINDS.flatMap((kind) =>
    (replace[kind] ?? line[kind]).split('\n').filter(Boolean),
  );
  return ['version: 1', 'retention:', ...body.map((l) => `  ${l}`), extra].join('\n');
}

function problemsOf(text: string): string[] {
  try {
    parseRetentionPolicy(text, FILE);
  } catch (error) {
    if (error instanceof RetentionFileInvalid) return [...error.lines];
    throw error;
  }
  throw new Error('the file was accepted');
}

describe(parseRetentionPolicy.name, () => {
  it('reads durations, anchors and exceptions by country', () => {
    const policy = parseRetentionPolicy(
      aPolicy({
        [RetentionKind.BackgroundCheckDetails]: [
          'background_check_details:',
          '  keep: 1 year',
          '  after: completion',
          '  countries:',
          '    US: { keep: 5 years, after: completion }',
          '    EEA: { keep: 6 months, after: end_date }',
          '    DE: { keep: 3 months, after: completion }',
        ].join('\n'),
        [RetentionKind.AuditEvents]: 'audit_events: { keep: forever, after: end_date }',
      }),
      FILE,
    );
    expect(policy.sessions).toEqual({
      rule: { keep: { amount: 90, unit: 'days' }, after: RetentionAnchor.Expiry },
      exceptions: [],
    });
    expect(policy.audit_events.rule.keep).toBeNull();
    const details = policy.background_check_details;
    expect(details.rule).toEqual({
      keep: { amount: 1, unit: 'years' },
      after: RetentionAnchor.Completion,
    });
    expect(details.exceptions.map((e) => [e.key, e.rule.keep, e.rule.after])).toEqual([
      ['US', { amount: 5, unit: 'years' }, 'completion'],
      ['EEA', { amount: 6, unit: 'months' }, 'end_date'],
      ['DE', { amount: 3, unit: 'months' }, 'completion'],
    ]);
    // A country named on its own is taken out of the EEA group.
    const eea = details.exceptions[1].countries;
    expect(eea).not.toContain('DE');
    expect(eea).toHaveLength(EEA_COUNTRIES.length - 1);
    expect(Object.isFrozen(policy)).toBe(true);
  });

  it('ships a policy that reads, with the US, EEA and GB background-check exceptions', () => {
    const policy = loadRetentionPolicy(DEFAULT_RETENTION_FILE);
    expect(Object.keys(policy).sort()).toEqual([...RETENTION_KINDS].sort());
    expect(policy.background_check_details.exceptions.map((e) => e.key)).toEqual([
      'US',
      'EEA',
      'GB',
    ]);
    // Every period is marked as a default to review, not legal advice.
    expect(readFileSync(DEFAULT_RETENTION_FILE, 'utf8')).toMatch(
      /DEFAULTS TO REVIEW WITH COUNSEL, NOT LEGAL ADVICE/,
    );
  });

  it.each([
    [
      '7 yrs',
      'must be a duration such as "90 days", "6 months" or "7 years", or forever (not "7 yrs")',
    ],
    [
      'P7Y',
      'must be a duration such as "90 days", "6 months" or "7 years", or forever (not "P7Y")',
    ],
    ['-1 days', 'must be a duration such as'],
    ['101 years', 'must be at most 100 years; use forever instead'],
    ['1201 months', 'must be at most 100 years; use forever instead'],
  ])('refuses the duration %s, naming its line', (keep, message) => {
    const problems = problemsOf(
      aPolicy({ [RetentionKind.Signatures]: `signatures: { keep: ${keep}, after: end_date }` }),
    );
    expect(problems).toEqual([
      expect.stringContaining(`${FILE} line 9, column 23: retention.signatures.keep ${message}`),
    ]);
  });

  it('refuses an unknown kind and an unknown key, and names a missing kind', () => {
    const text = aPolicy(
      {
        [RetentionKind.AuditEvents]: '',
        [RetentionKind.TrainingAttempts]:
          'training_attempts: { keep: 1 year, after: creation, colour: red }',
      },
      '  backups: { keep: 30 days, after: creation }',
    );
    expect(problemsOf(text)).toEqual([
      `${FILE} line 3, column 3: retention.audit_events is required`,
      `${FILE} line 6, column 55: retention.training_attempts.colour is not a known key; check its spelling against the comments at the top of the file`,
      `${FILE} line 10, column 3: retention.backups is not a known key; check its spelling against the comments at the top of the file`,
    ]);
  });

  it('refuses an anchor a kind cannot count from, and countries where records are not one person’s', () => {
    const text = aPolicy({
      [RetentionKind.NotificationBodies]: 'notification_bodies: { keep: 90 days, after: end_date }',
      [RetentionKind.ExportZips]: [
        'export_zips:',
        '  keep: 30 days',
        '  after: creation',
        '  countries: { US: { keep: 1 year, after: creation } }',
      ].join('\n'),
      [RetentionKind.Sessions]: 'sessions: { keep: 90 days, after: completion }',
    });
    expect(problemsOf(text)).toEqual([
      `${FILE} line 3, column 37: retention.sessions.after must be expiry or creation for sessions (not completion)`,
      `${FILE} line 4, column 48: retention.notification_bodies.after must be creation for notification_bodies (not end_date)`,
      `${FILE} line 8, column 16: retention.export_zips.countries cannot differ by country for export_zips: its records are not one person's`,
    ]);
  });

  it('refuses a key that is not a country, and a country rule with a wrong anchor', () => {
    const text = aPolicy({
      [RetentionKind.BackgroundCheckDetails]: [
        'background_check_details:',
        '  keep: 1 year',
        '  after: completion',
        '  countries:',
        '    XX: { keep: 1 year, after: completion }',
        '    us: { keep: 1 year, after: completion }',
        '    GB: { keep: 6 months, after: expiry }',
      ].join('\n'),
    });
    expect(problemsOf(text)).toEqual([
      `${FILE} line 11, column 11: retention.background_check_details.countries.XX is not a country: use a two-letter upper-case code (ISO 3166-1) such as US, or EEA`,
      `${FILE} line 12, column 11: retention.background_check_details.countries.us is not a country: use a two-letter upper-case code (ISO 3166-1) such as US, or EEA`,
      `${FILE} line 13, column 36: retention.background_check_details.countries.GB.after must be completion or end_date for background_check_details (not expiry)`,
    ]);
  });

  it('refuses YAML it cannot parse, and a missing file, with the line', () => {
    expect(problemsOf('version: 1\nretention: [')).toEqual([
      expect.stringMatching(/^policies\/retention\.yml line \d+, column \d+: is not valid YAML/),
    ]);
    expect(() => loadRetentionPolicy('/nonexistent/retention.yml')).toThrow(
      /\/nonexistent\/retention\.yml line 1, column 1: cannot be read \(ENOENT\)/,
    );
  });
});
