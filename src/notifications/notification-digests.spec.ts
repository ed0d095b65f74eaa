import type { AppConfig } from '../config/app-config';
import { MailRenderer } from './mail-renderer';
import { NotificationComposer } from './notification-composer';
import type { NotificationDigestReader } from './notification-digest.reader';
import { NotificationDigests } from './notification-digests';
import { NotificationKind } from './notification-kind';
import type { OpenAssignment, PlannedPerson } from './notification-planner';
import { NOTIFICATION_DEFAULTS } from './notification-policy';

const config = {
  publicUrl: 'https://attest.example.com',
  organisationName: 'Example Ltd',
} as AppConfig;
const renderer = new MailRenderer(config);
const composer = new NotificationComposer(renderer, {} as never);
const subjects = {
  titleOf: (_kind: string, subject: string) => subject.toUpperCase(),
  changesOf: () => undefined,
};

const report = (id: string): PlannedPerson => ({
  personId: id,
  email: `${id}@corp.example`,
  name: `Report ${id}`,
  timeZone: 'Europe/London',
  reachable: true,
  managerEmail: 'mo@corp.example',
});
const task = (personId: string, subject: string, dueDate: string): OpenAssignment => ({
  personId,
  requirementId: subject,
  kind: 'document',
  subject,
  cycle: 0,
  dueDate,
});

function digests(exists = false) {
  const reader = {
    exists: jest.fn().mockResolvedValue(exists),
  } as unknown as NotificationDigestReader;
  const policy = {
    ...NOTIFICATION_DEFAULTS,
    digests: {
      ...NOTIFICATION_DEFAULTS.digests,
      hrWeeklyOn: undefined,
      managerWeeklyOn: 'fri' as const,
    },
  };
  return new NotificationDigests(reader, renderer, composer, policy);
}

const input = {
  hr: [],
  people: new Map([
    ['a', report('a')],
    ['b', report('b')],
  ]),
  managers: new Map(),
  assignments: [
    task('a', 'nda', '2027-01-10'),
    task('b', 'policy', '2027-01-18'),
    task('b', 'far-away', '2027-02-20'),
  ],
};

describe(NotificationDigests.name, () => {
  it('sends a manager, on their day, their reports’ work overdue or due within a week', async () => {
    const rows = await digests().plan(
      {} as never,
      new Date('2027-01-15T10:00:00Z'),
      new Date(),
      input,
      subjects,
    );
    expect(rows).toHaveLength(1);
    const [{ row, steps }] = rows;
    expect(row).toMatchObject({
      kind: NotificationKind.ManagerDigest,
      idempotency_key: 'manager_digest:mo@corp.example:2027-W02',
      recipient_email: 'mo@corp.example',
      item_count: 2,
    });
    expect(steps).toEqual([]);
    expect(row.text_body).toContain('Report a: NDA, 5 days overdue (10 Jan 2027)');
    expect(row.text_body).toContain('Report b: POLICY, due in 3 days (18 Jan 2027)');
    expect(row.text_body).not.toContain('FAR-AWAY');
    expect(row.text_body).toContain('This digest is optional');
  });

  it('sends nothing on another day, outside working hours, or twice in a week', async () => {
    const plan = (at: string, exists = false) =>
      digests(exists).plan({} as never, new Date(at), new Date(), input, subjects);
    expect(await plan('2027-01-14T10:00:00Z')).toEqual([]); // Thursday
    expect(await plan('2027-01-15T18:00:00Z')).toEqual([]); // Friday evening
    expect(await plan('2027-01-15T10:00:00Z', true)).toEqual([]); // already queued this week
  });
});
