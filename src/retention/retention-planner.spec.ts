import { parseRetentionPolicy } from './retention-file.loader';
import { cutoffDay, cutoffOf, planRules } from './retention-planner';
import { RetentionKind } from './retention-policy';

const NOW = new Date('2033-12-07T09:30:00.000Z');

describe(cutoffOf.name, () => {
  it.each([
    [{ amount: 7, unit: 'years' as const }, '2026-12-07T09:30:00.000Z'],
    [{ amount: 6, unit: 'months' as const }, '2033-06-07T09:30:00.000Z'],
    [{ amount: 90, unit: 'days' as const }, '2033-09-08T09:30:00.000Z'],
    [{ amount: 0, unit: 'days' as const }, '2033-12-07T09:30:00.000Z'],
  ])('goes back %o in UTC calendar terms', (keep, expected) => {
    expect(cutoffOf(NOW, keep).toISOString()).toBe(expected);
  });

  it('counts a year back from 29 February to 1 March, and gives the day for end dates', () => {
    const cutoff = cutoffOf(new Date('2032-02-29T12:00:00Z'), { amount: 1, unit: 'years' });
    expect(cutoff.toISOString()).toBe('2031-03-01T12:00:00.000Z');
    expect(cutoffDay(cutoff)).toBe('2031-03-01');
  });
});

describe(planRules.name, () => {
  const policy = parseRetentionPolicy(
    [
      'version: 1',
      'retention:',
      '  sessions: { keep: 90 days, after: expiry }',
      '  notification_bodies: { keep: 90 days, after: creation }',
      '  export_zips: { keep: 30 days, after: creation }',
      '  training_attempts: { keep: 1 year, after: creation }',
      '  background_check_details:',
      '    keep: 1 year',
      '    after: completion',
      '    countries:',
      '      US: { keep: 5 years, after: completion }',
      '      GB: { keep: 6 months, after: completion }',
      '  background_check_status: { keep: 7 years, after: end_date }',
      '  signatures: { keep: 7 years, after: end_date }',
      '  audit_events: { keep: forever, after: end_date }',
    ].join('\n'),
    'retention.yml',
  );
  const sut = planRules(policy, NOW);

  it('lists each kind in purge order, exceptions before the rule for everyone else', () => {
    expect(sut.map((r) => [r.kind, r.label])).toEqual([
      [RetentionKind.Sessions, '90 days after expiry'],
      [RetentionKind.NotificationBodies, '90 days after creation'],
      [RetentionKind.ExportZips, '30 days after creation'],
      [RetentionKind.TrainingAttempts, '1 year after creation'],
      [RetentionKind.BackgroundCheckDetails, '5 years after completion, US'],
      [RetentionKind.BackgroundCheckDetails, '6 months after completion, GB'],
      [RetentionKind.BackgroundCheckDetails, '1 year after completion, other countries'],
      [RetentionKind.BackgroundCheckStatus, '7 years after end date'],
      [RetentionKind.Signatures, '7 years after end date'],
      [RetentionKind.AuditEvents, 'kept for ever'],
    ]);
  });

  it('puts every country under exactly one rule of a kind, and keeps for ever with no cutoff', () => {
    const details = sut.filter((r) => r.kind === RetentionKind.BackgroundCheckDetails);
    expect(details.map((r) => r.countries)).toEqual([
      { only: ['US'] },
      { only: ['GB'] },
      { except: ['US', 'GB'] },
    ]);
    expect(details.map((r) => r.cutoff?.toISOString())).toEqual([
      '2028-12-07T09:30:00.000Z',
      '2033-06-07T09:30:00.000Z',
      '2032-12-07T09:30:00.000Z',
    ]);
    expect(sut.find((r) => r.kind === RetentionKind.AuditEvents)?.cutoff).toBeNull();
  });
});
