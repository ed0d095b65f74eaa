import { AssignmentStatus } from './assignment-deriver';
import {
  type CycleRow,
  doneCount,
  type RequirementStanding,
  standingsOf,
  standingText,
} from './requirement-standing';

const TODAY = '2026-06-15';

const aCycle = (overrides: Partial<CycleRow> = {}): CycleRow => ({
  requirementId: 'employee-nda',
  kind: 'document',
  subject: 'nda',
  cycle: 0,
  dueDate: '2026-06-20',
  status: AssignmentStatus.NotStarted,
  completedAt: undefined,
  ...overrides,
});

const passed = new Date('2026-06-01T10:00:00Z');

describe(standingsOf.name, () => {
  const only = (rows: CycleRow[]): RequirementStanding => {
    const standings = standingsOf(rows, TODAY);
    expect(standings).toHaveLength(1);
    return standings[0];
  };

  it.each([
    ['not started', [aCycle()], AssignmentStatus.NotStarted, true],
    ['in progress', [aCycle({ status: AssignmentStatus.InProgress })], 'in_progress', true],
    ['past due though stored as open', [aCycle({ dueDate: '2026-06-14' })], 'overdue', true],
    [
      'done',
      [aCycle({ status: AssignmentStatus.Done, completedAt: passed })],
      AssignmentStatus.Done,
      false,
    ],
    ['waived', [aCycle({ status: AssignmentStatus.Waived })], AssignmentStatus.Waived, false],
  ] as const)('reads one cycle %s', (_case, rows, status, open) => {
    const sut = only([...rows]);
    expect(sut.status).toBe(status);
    expect(sut.open).toBe(open);
    expect(sut.nextDueDate).toBeNull();
  });

  it('reads a module just passed as done with its next due date, not as not started', () => {
    const sut = only([
      aCycle({
        kind: 'training',
        subject: 'training-phishing',
        requirementId: 'training-phishing',
        status: AssignmentStatus.Done,
        completedAt: passed,
      }),
      aCycle({
        kind: 'training',
        subject: 'training-phishing',
        requirementId: 'training-phishing',
        cycle: 1,
        dueDate: '2027-06-01',
      }),
    ]);
    expect(sut).toMatchObject({ status: 'done', open: false, cycle: 0, nextDueDate: '2027-06-01' });
    expect(sut.completedAt).toEqual(passed);
    expect(standingText(sut)).toBe('Done, next due 1 Jun 2027');
  });

  it('opens the next cycle once it falls due within the horizon', () => {
    const sut = only([
      aCycle({ status: AssignmentStatus.Done, completedAt: passed }),
      aCycle({ cycle: 1, dueDate: '2026-07-15' }),
    ]);
    expect(sut).toMatchObject({ status: 'not_started', open: true, cycle: 1, renewal: true });
  });

  it('keeps a re-acknowledgement open, and overdue once its deadline passes', () => {
    const sut = only([
      aCycle({ status: AssignmentStatus.Done, completedAt: passed }),
      aCycle({ cycle: 1, dueDate: '2026-06-10' }),
    ]);
    expect(sut).toMatchObject({ status: 'overdue', open: true, renewal: true });
    expect(sut.completedAt).toEqual(passed);
  });

  it('lists work asked for by two rules once, the more urgent cycle shown', () => {
    const standings = standingsOf(
      [
        aCycle({
          requirementId: 'us-criminal-record',
          kind: 'background_check',
          subject: 'criminal_record',
          status: AssignmentStatus.Done,
          completedAt: passed,
        }),
        aCycle({
          requirementId: 'admin-criminal-record-rescreening',
          kind: 'background_check',
          subject: 'criminal_record',
          status: AssignmentStatus.Done,
          completedAt: passed,
        }),
        aCycle({
          requirementId: 'admin-criminal-record-rescreening',
          kind: 'background_check',
          subject: 'criminal_record',
          cycle: 1,
          dueDate: '2029-06-01',
        }),
        aCycle(),
      ],
      TODAY,
    );
    expect(standings.map((s) => s.subject)).toEqual(['criminal_record', 'nda']);
    expect(standings[0]).toMatchObject({
      status: 'done',
      nextDueDate: '2029-06-01',
      requirementIds: ['admin-criminal-record-rescreening', 'us-criminal-record'],
    });
    const overdue = standingsOf(
      [
        aCycle({ requirementId: 'a', status: AssignmentStatus.Done, completedAt: passed }),
        aCycle({ requirementId: 'b', dueDate: '2026-01-01' }),
      ],
      TODAY,
    );
    expect(overdue).toHaveLength(1);
    expect(overdue[0]).toMatchObject({ requirementId: 'b', status: 'overdue' });
    expect(doneCount(overdue)).toBe(0);
  });
});
