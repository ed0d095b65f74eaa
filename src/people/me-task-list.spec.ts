import { AssignmentStatus } from '../requirements/assignment-deriver';
import { buildTaskList, type SubjectInfo, type TaskStanding } from './me-task-list';

const TODAY = '2026-12-15';

function standing(over: Partial<TaskStanding> & Pick<TaskStanding, 'kind' | 'subject'>) {
  return {
    dueDate: '2026-12-20',
    status: AssignmentStatus.NotStarted,
    open: true,
    completedAt: undefined,
    nextDueDate: null,
    ...over,
  } as TaskStanding;
}

const SUBJECTS = new Map<string, SubjectInfo>([
  ['nda', { title: 'Mutual Non-Disclosure Agreement', kind: 'nda' }],
  ['information-security-policy', { title: 'Information Security Policy', kind: 'policy' }],
  ['training-phishing', { title: 'Spotting phishing', kind: 'training' }],
]);

describe(buildTaskList.name, () => {
  const sut = buildTaskList;

  it('groups tasks by kind, with titles, words and progress over the person’s own tasks', () => {
    const list = sut(
      [
        standing({ kind: 'document', subject: 'nda' }),
        standing({
          kind: 'document',
          subject: 'information-security-policy',
          status: AssignmentStatus.Done,
          open: false,
          completedAt: new Date('2026-12-10T09:30:00Z'),
        }),
        standing({
          kind: 'training',
          subject: 'training-phishing',
          dueDate: '2026-12-01',
          status: AssignmentStatus.Overdue,
        }),
        standing({
          kind: 'background_check',
          subject: 'criminal_record',
          status: AssignmentStatus.InProgress,
        }),
      ],
      SUBJECTS,
      TODAY,
    );
    expect(list.groups.map((g) => g.key)).toEqual(['agreements', 'policies', 'training']);
    expect(list.groups[0].tasks[0]).toMatchObject({
      title: 'Mutual Non-Disclosure Agreement',
      href: '/documents/nda',
      when: 'due in 5 days, 20 Dec 2026',
      whenIso: '2026-12-20',
      tagClass: 'govuk-tag--blue',
    });
    expect(list.groups[1].tasks[0]).toMatchObject({ when: 'done on 10 Dec 2026', closed: true });
    expect(list.groups[2].tasks[0]).toMatchObject({ when: '14 days overdue, 1 Dec 2026' });
    expect(list.screening?.tasks[0]).toMatchObject({ title: 'Criminal record', href: null });
    // Screening is HR's work: not counted in the person's progress.
    expect(list.progress).toEqual({ done: 1, total: 3, percent: 33, text: '1 of 3 done' });
    // The next task is the most urgent open one the person can do.
    expect(list.next).toEqual({ title: 'Spotting phishing', href: '/training/training-phishing' });
  });

  it('lists a known next cycle under coming up, not as a task to start', () => {
    const list = sut(
      [
        standing({
          kind: 'training',
          subject: 'training-phishing',
          status: AssignmentStatus.Done,
          open: false,
          completedAt: new Date('2026-12-01T10:00:00Z'),
          nextDueDate: '2027-12-01',
        }),
      ],
      SUBJECTS,
      TODAY,
    );
    expect(list.upcoming).toEqual([
      expect.objectContaining({
        key: 'upcoming-training-phishing',
        title: 'Spotting phishing',
        when: 'next due 1 Dec 2027',
        status: 'scheduled',
      }),
    ]);
    expect(list.progress.text).toBe('1 of 1 done');
    expect(list.next).toBeNull();
  });
});
