import { Role } from '../access/role';
import { EmploymentType, PersonStatus } from '../people/person.entity';
import {
  AssignmentStatus,
  type CompletionFact,
  type DerivationInput,
  type DerivedAssignment,
  deriveAssignments,
  type DocumentVersionFact,
  type PersonFacts,
  type WaiverFact,
} from './assignment-deriver';
import { RequirementKind, type RequirementRule, TaskDoer } from './requirement-rule';
import { DEFAULT_REQUIREMENTS_FILE, loadRequirementsFile } from './requirements-file.loader';

const TODAY = '2026-06-15';

const aPerson = (overrides: Partial<PersonFacts> = {}): PersonFacts => ({
  id: '00000000-0000-4000-8000-000000000001',
  employmentType: EmploymentType.Employee,
  country: 'US',
  department: 'Engineering',
  roles: [Role.Employee],
  status: PersonStatus.Active,
  startDate: '2026-01-05',
  endDate: null,
  recordedOn: '2025-12-01',
  ...overrides,
});

const aRule = (overrides: Partial<RequirementRule> = {}): RequirementRule => ({
  id: 'nda',
  kind: RequirementKind.Document,
  subject: 'nda',
  appliesTo: {},
  dueDaysAfterStart: 7,
  ...overrides,
});

const training = aRule({
  id: 'security-awareness-training',
  kind: RequirementKind.Training,
  subject: 'security-awareness',
  dueDaysAfterStart: 30,
  recurrenceMonths: 12,
});

const nda = aRule({ reacknowledgeDays: 30 });

const signed = (at: string, version?: string): CompletionFact => ({
  kind: RequirementKind.Document,
  subject: 'nda',
  completedAt: `${at}T10:00:00.000Z`,
  subjectVersion: version ?? null,
});

const trained = (at: string): CompletionFact => ({
  kind: RequirementKind.Training,
  subject: 'security-awareness',
  completedAt: `${at}T10:00:00.000Z`,
});

const checked = (subject: string, at: string): CompletionFact => ({
  kind: RequirementKind.BackgroundCheck,
  subject,
  completedAt: `${at}T10:00:00.000Z`,
});

const version = (v: string, publishedOn: string, material: boolean): DocumentVersionFact => ({
  version: v,
  publishedOn,
  material,
});

const waiver = (overrides: Partial<WaiverFact> = {}): WaiverFact => ({
  requirementId: 'nda',
  cycle: 0,
  waivedAt: '2026-01-08T09:00:00.000Z',
  waivedBy: '00000000-0000-4000-8000-0000000000aa',
  reason: 'Signed on paper before Attest; copy in the HR file.',
  ...overrides,
});

const derive = (overrides: Partial<DerivationInput> = {}): DerivedAssignment[] =>
  deriveAssignments({
    rules: [nda],
    person: aPerson(),
    today: TODAY,
    completions: [],
    waivers: [],
    publications: new Map(),
    ...overrides,
  });

/** The fields a reader checks, one line per assignment. */
const brief = (list: DerivedAssignment[]) =>
  list.map((a) => `${a.requirementId}#${a.cycle} ${a.dueDate} ${a.status}`);

describe(deriveAssignments.name, () => {
  describe('with the shipped policies/requirements.yml', () => {
    const rules = loadRequirementsFile(DEFAULT_REQUIREMENTS_FILE);
    const ids = (person: Partial<PersonFacts>, kind: RequirementKind) =>
      derive({ rules, person: aPerson(person) })
        .filter((a) => a.kind === kind)
        .map((a) => a.requirementId);

    it.each<[string, Partial<PersonFacts>, string[]]>([
      ['a US employee', { country: 'US' }, ['us-criminal-record', 'us-employment-verification']],
      ['a German employee', { country: 'DE' }, ['employment-verification']],
      [
        'a lower-case country code',
        { country: 'us' },
        ['us-criminal-record', 'us-employment-verification'],
      ],
      ['an employee without a country', { country: null }, ['employment-verification']],
      ['a US contractor', { country: 'US', employmentType: EmploymentType.Contractor }, []],
      [
        'a US admin',
        { country: 'US', roles: [Role.Employee, Role.Admin] },
        ['admin-criminal-record-rescreening', 'us-criminal-record', 'us-employment-verification'],
      ],
      ['a German admin', { country: 'DE', roles: [Role.Admin] }, ['employment-verification']],
    ])('screens %s as local law allows', (_who, person, expected) => {
      expect(ids(person, RequirementKind.BackgroundCheck)).toEqual(expected);
    });

    it.each<[EmploymentType, string[]]>([
      [
        EmploymentType.Employee,
        [
          'employee-acceptable-use-policy',
          'employee-confidentiality-agreement',
          'employee-data-protection-policy',
          'employee-incident-reporting-policy',
          'employee-information-security-policy',
          'employee-nda',
          'training-data-handling',
          'training-incident-reporting',
          'training-passwords-mfa',
          'training-phishing',
          'training-physical-security',
        ],
      ],
      [EmploymentType.Contractor, ['contractor-acceptable-use-policy', 'contractor-nda']],
    ])('gives %s staff the documents and training for their employment type', (type, expected) => {
      const list = derive({ rules, person: aPerson({ employmentType: type }) })
        .filter((a) => a.kind !== RequirementKind.BackgroundCheck)
        .map((a) => a.requirementId);
      expect(list).toEqual(expected);
    });
  });

  describe('selectors', () => {
    it.each<[string, RequirementRule['appliesTo'], Partial<PersonFacts>, boolean]>([
      ['everyone', {}, {}, true],
      [
        'a matching department, whatever its case',
        { departments: ['finance'] },
        { department: 'Finance ' },
        true,
      ],
      ['another department', { departments: ['Finance'] }, { department: 'Engineering' }, false],
      ['no department', { departments: ['Finance'] }, { department: null }, false],
      ['any listed role', { roles: [Role.Hr, Role.Admin] }, { roles: [Role.Admin] }, true],
      ['no listed role', { roles: [Role.Admin] }, { roles: [Role.Employee] }, false],
      [
        'all criteria at once',
        { countries: ['US'], roles: [Role.Admin] },
        { country: 'DE', roles: [Role.Admin] },
        false,
      ],
    ])('selects %s', (_case, appliesTo, person, selected) => {
      const list = derive({ rules: [aRule({ appliesTo })], person: aPerson(person) });
      expect(list.length > 0).toBe(selected);
    });
  });

  describe('start dates', () => {
    const check = aRule({
      id: 'us-criminal-record',
      kind: RequirementKind.BackgroundCheck,
      subject: 'criminal_record',
      dueDaysAfterStart: -3,
    });

    it.each<[string, Partial<PersonFacts>, string[]]>([
      [
        'in the future: dues ahead, nothing late',
        { startDate: '2026-07-01', status: PersonStatus.PreStart },
        ['nda#0 2026-07-08 not_started', 'us-criminal-record#0 2026-06-28 not_started'],
      ],
      [
        'in the past: late once the due day has passed',
        { startDate: '2026-06-01' },
        ['nda#0 2026-06-08 overdue', 'us-criminal-record#0 2026-05-29 overdue'],
      ],
      [
        'today, with a check due before it: already late',
        { startDate: TODAY },
        ['nda#0 2026-06-22 not_started', 'us-criminal-record#0 2026-06-12 overdue'],
      ],
      [
        'unknown: counted from the day Attest first saw the person',
        { startDate: null, recordedOn: '2026-06-10' },
        ['nda#0 2026-06-17 not_started', 'us-criminal-record#0 2026-06-07 overdue'],
      ],
    ])('a start date %s', (_case, person, expected) => {
      expect(brief(derive({ rules: [nda, check], person: aPerson(person) }))).toEqual(expected);
    });

    it('is not late on the due day itself', () => {
      expect(brief(derive({ person: aPerson({ startDate: '2026-06-08' }) }))).toEqual([
        'nda#0 2026-06-15 not_started',
      ]);
    });
  });

  describe('recurrence', () => {
    it.each<[string, string, CompletionFact[], string[]]>([
      [
        'never done, within the first 30 days',
        '2026-01-20',
        [],
        ['security-awareness-training#0 2026-02-04 not_started'],
      ],
      [
        'never done, after 30 days',
        '2026-02-05',
        [],
        ['security-awareness-training#0 2026-02-04 overdue'],
      ],
      [
        'done: due again 12 months after the completion',
        '2026-06-15',
        [trained('2026-01-20')],
        [
          'security-awareness-training#0 2026-02-04 done',
          'security-awareness-training#1 2027-01-20 not_started',
        ],
      ],
      [
        'not redone after 12 months: overdue',
        '2027-01-21',
        [trained('2026-01-20')],
        [
          'security-awareness-training#0 2026-02-04 done',
          'security-awareness-training#1 2027-01-20 overdue',
        ],
      ],
      [
        'redone late: the next cycle counts from the late completion',
        '2027-03-01',
        [trained('2026-01-20'), trained('2027-02-10')],
        [
          'security-awareness-training#0 2026-02-04 done',
          'security-awareness-training#1 2027-01-20 done',
          'security-awareness-training#2 2028-02-10 not_started',
        ],
      ],
      [
        'recorded twice the same day: one cycle',
        '2026-06-15',
        [
          trained('2026-01-20'),
          { ...trained('2026-01-20'), completedAt: '2026-01-20T16:00:00.000Z' },
        ],
        [
          'security-awareness-training#0 2026-02-04 done',
          'security-awareness-training#1 2027-01-20 not_started',
        ],
      ],
      [
        'done before the start date: counts for onboarding',
        '2026-06-15',
        [trained('2025-12-20')],
        [
          'security-awareness-training#0 2026-02-04 done',
          'security-awareness-training#1 2026-12-20 not_started',
        ],
      ],
    ])('%s', (_case, today, completions, expected) => {
      expect(brief(derive({ rules: [training], today, completions }))).toEqual(expected);
    });

    it('re-screens US admins 36 months after their pre-start check', () => {
      const rules = loadRequirementsFile(DEFAULT_REQUIREMENTS_FILE);
      const list = derive({
        rules,
        today: '2029-01-10',
        person: aPerson({ roles: [Role.Admin], startDate: '2026-01-05' }),
        completions: [checked('criminal_record', '2025-12-28')],
      }).filter((a) => a.subject === 'criminal_record');
      expect(brief(list)).toEqual([
        'admin-criminal-record-rescreening#0 2026-01-02 done',
        'admin-criminal-record-rescreening#1 2028-12-28 overdue',
        'us-criminal-record#0 2026-01-02 done',
      ]);
    });

    it('marks the open cycle in progress once work has begun after the last completion', () => {
      const started = [
        {
          kind: RequirementKind.Training,
          subject: 'security-awareness',
          startedAt: '2026-06-01T08:00:00.000Z',
        },
      ];
      expect(brief(derive({ rules: [training], today: '2026-01-20', started }))).toEqual([
        'security-awareness-training#0 2026-02-04 in_progress',
      ]);
    });
  });

  describe('re-acknowledgement of new document versions', () => {
    const v1 = version('1.0', '2025-06-01', true);

    it.each<[string, DocumentVersionFact[], CompletionFact[], string[]]>([
      ['no new version', [v1], [signed('2026-01-07', '1.0')], ['nda#0 2026-01-12 done']],
      [
        'a material version after the signature: re-sign within 30 days',
        [v1, version('2.0', '2026-06-01', true)],
        [signed('2026-01-07', '1.0')],
        ['nda#0 2026-01-12 done', 'nda#1 2026-07-01 not_started'],
      ],
      [
        'a minor version after the signature: nothing to do',
        [v1, version('1.1', '2026-06-01', false)],
        [signed('2026-01-07', '1.0')],
        ['nda#0 2026-01-12 done'],
      ],
      [
        'a material version not re-signed in time',
        [v1, version('2.0', '2026-05-01', true)],
        [signed('2026-01-07', '1.0')],
        ['nda#0 2026-01-12 done', 'nda#1 2026-05-31 overdue'],
      ],
      [
        'the material version re-signed',
        [v1, version('2.0', '2026-05-01', true)],
        [signed('2026-01-07', '1.0'), signed('2026-05-03', '2.0')],
        ['nda#0 2026-01-12 done', 'nda#1 2026-05-31 done'],
      ],
      [
        'two material versions unsigned: one cycle, due from the first',
        [v1, version('2.0', '2026-03-01', true), version('3.0', '2026-05-01', true)],
        [signed('2026-01-07', '1.0')],
        ['nda#0 2026-01-12 done', 'nda#1 2026-03-31 overdue'],
      ],
      [
        'a superseded version signed after the new one was out',
        [v1, version('2.0', '2026-01-02', true)],
        [signed('2026-01-07', '1.0')],
        ['nda#0 2026-01-12 done', 'nda#1 2026-02-01 overdue'],
      ],
      [
        'a signature without a version: the one current that day',
        [v1, version('2.0', '2026-01-02', true)],
        [signed('2026-01-07')],
        ['nda#0 2026-01-12 done'],
      ],
      [
        'a material version before the start: onboarding covers it',
        [v1, version('2.0', '2025-12-01', true)],
        [],
        ['nda#0 2026-01-12 overdue'],
      ],
    ])('%s', (_case, versions, completions, expected) => {
      const publications = new Map([['nda', versions]]);
      expect(brief(derive({ completions, publications }))).toEqual(expected);
    });

    it('keeps the old signature in the done cycle while the new one is open', () => {
      const publications = new Map([['nda', [v1, version('2.0', '2026-06-01', true)]]]);
      const [first, second] = derive({ completions: [signed('2026-01-07', '1.0')], publications });
      expect(first).toMatchObject({
        cycle: 0,
        status: AssignmentStatus.Done,
        completedAt: '2026-01-07T10:00:00.000Z',
      });
      expect(second).toMatchObject({ cycle: 1, status: AssignmentStatus.NotStarted });
      expect(second.completedAt).toBeUndefined();
    });
  });

  describe('waivers', () => {
    it.each<[string, Partial<DerivationInput>, string[]]>([
      ['wins over overdue', { waivers: [waiver()] }, ['nda#0 2026-01-12 waived']],
      [
        'of another cycle does not apply',
        { waivers: [waiver({ cycle: 1 })] },
        ['nda#0 2026-01-12 overdue'],
      ],
      [
        'of another requirement does not apply',
        { waivers: [waiver({ requirementId: 'other' })] },
        ['nda#0 2026-01-12 overdue'],
      ],
      [
        'is overtaken by a completion of the same cycle',
        { waivers: [waiver()], completions: [signed('2026-01-09')] },
        ['nda#0 2026-01-12 done'],
      ],
      [
        'of a recurring cycle: the next is due a period after the waiver',
        { rules: [training], waivers: [waiver({ requirementId: training.id })] },
        [
          'security-awareness-training#0 2026-02-04 waived',
          'security-awareness-training#1 2027-01-08 not_started',
        ],
      ],
      [
        'of onboarding does not reopen versions published before it',
        {
          waivers: [waiver()],
          publications: new Map([
            ['nda', [version('1.0', '2025-01-01', true), version('2.0', '2025-10-01', true)]],
          ]),
        },
        ['nda#0 2026-01-12 waived'],
      ],
    ])('a waiver %s', (_case, input, expected) => {
      expect(brief(derive(input))).toEqual(expected);
    });

    it('records who waived it, when and why', () => {
      const [assignment] = derive({ waivers: [waiver()] });
      expect(assignment.waiver).toEqual({
        waivedAt: '2026-01-08T09:00:00.000Z',
        waivedBy: '00000000-0000-4000-8000-0000000000aa',
        reason: 'Signed on paper before Attest; copy in the HR file.',
      });
    });
  });

  describe('leavers', () => {
    const history = {
      rules: [nda, training],
      completions: [signed('2026-01-07'), trained('2026-01-20')],
    };

    it.each<[string, Partial<PersonFacts>, string[]]>([
      [
        'terminated: open cycles kept as not required after leaving, done ones kept',
        { status: PersonStatus.Terminated },
        [
          'nda#0 2026-01-12 done',
          'security-awareness-training#0 2026-02-04 done',
          'security-awareness-training#1 2027-01-20 not_required',
        ],
      ],
      [
        'past their end date: open cycles not required',
        { endDate: '2026-06-14' },
        [
          'nda#0 2026-01-12 done',
          'security-awareness-training#0 2026-02-04 done',
          'security-awareness-training#1 2027-01-20 not_required',
        ],
      ],
      [
        'still to leave: open cycles as usual',
        { endDate: '2026-06-30' },
        [
          'nda#0 2026-01-12 done',
          'security-awareness-training#0 2026-02-04 done',
          'security-awareness-training#1 2027-01-20 not_started',
        ],
      ],
    ])('%s', (_case, person, expected) => {
      expect(brief(derive({ ...history, person: aPerson(person) }))).toEqual(expected);
    });

    it('closes an overdue onboarding cycle of a leaver as not required, never as done', () => {
      const person = aPerson({ status: PersonStatus.Terminated });
      expect(brief(derive({ person }))).toEqual(['nda#0 2026-01-12 not_required']);
    });

    it('keeps waived cycles of terminated people', () => {
      const person = aPerson({ status: PersonStatus.Terminated });
      expect(brief(derive({ person, waivers: [waiver()] }))).toEqual(['nda#0 2026-01-12 waived']);
    });
  });

  describe('leaving rules (due: days_after_end)', () => {
    const obligations = aRule({
      id: 'leaver-obligations',
      subject: 'post-employment-obligations',
      dueDaysAfterStart: 0,
      dueDaysAfterEnd: 0,
    });
    const assets = aRule({
      id: 'leaver-return-of-assets',
      kind: RequirementKind.Task,
      subject: 'return-of-assets',
      dueDaysAfterStart: 0,
      dueDaysAfterEnd: 3,
      doneBy: [TaskDoer.Hr],
    });
    const leaving = (person: Partial<PersonFacts>, completions: CompletionFact[] = []) =>
      brief(derive({ rules: [obligations, assets], person: aPerson(person), completions }));

    it('do not apply to someone with neither an end date nor the terminated status', () => {
      expect(leaving({})).toEqual([]);
    });

    it('start as soon as an end date is known, due after it, while the person still works', () => {
      expect(leaving({ endDate: '2026-06-30' })).toEqual([
        'leaver-obligations#0 2026-06-30 not_started',
        'leaver-return-of-assets#0 2026-07-03 not_started',
      ]);
    });

    it('stay open (overdue) once the person has left: they are the leaving work itself', () => {
      expect(leaving({ endDate: '2026-06-01', status: PersonStatus.Terminated })).toEqual([
        'leaver-obligations#0 2026-06-01 overdue',
        'leaver-return-of-assets#0 2026-06-04 overdue',
      ]);
    });

    it('anchor on the day access ended when a terminated person has no end date', () => {
      expect(leaving({ status: PersonStatus.Terminated, leftOn: '2026-06-15' })).toEqual([
        'leaver-obligations#0 2026-06-15 not_started',
        'leaver-return-of-assets#0 2026-06-18 not_started',
      ]);
    });

    it('anchor on the day Attest first saw a terminated person with no date at all', () => {
      expect(leaving({ status: PersonStatus.Terminated })).toEqual([
        'leaver-obligations#0 2025-12-01 overdue',
        'leaver-return-of-assets#0 2025-12-04 overdue',
      ]);
    });

    it('do not apply to someone whose last day was over 30 days before Attest first saw them', () => {
      // recordedOn is 2025-12-01: an import of history, not a leaving Attest can offboard.
      expect(leaving({ endDate: '2025-10-31', status: PersonStatus.Terminated })).toEqual([]);
      expect(leaving({ endDate: '2025-11-01', status: PersonStatus.Terminated })).toEqual([
        'leaver-obligations#0 2025-11-01 overdue',
        'leaver-return-of-assets#0 2025-11-04 overdue',
      ]);
    });

    it('are done by a completion of their kind and subject, once (no recurrence)', () => {
      const returned: CompletionFact = {
        kind: RequirementKind.Task,
        subject: 'return-of-assets',
        completedAt: '2026-06-16T09:00:00.000Z',
      };
      expect(leaving({ endDate: '2026-06-30' }, [returned])).toEqual([
        'leaver-obligations#0 2026-06-30 not_started',
        'leaver-return-of-assets#0 2026-07-03 done',
      ]);
    });
  });
});

describe('the shipped leaving rules', () => {
  it('give a leaver the acknowledgement, the return of assets and the exit interview', () => {
    const rules = loadRequirementsFile(DEFAULT_REQUIREMENTS_FILE).filter(
      (r) => r.dueDaysAfterEnd !== undefined,
    );
    const out = deriveAssignments({
      rules,
      person: aPerson({ endDate: '2026-06-30' }),
      today: TODAY,
      completions: [],
      waivers: [],
      publications: new Map(),
    });
    expect(out.map((a) => `${a.kind}:${a.subject} ${a.dueDate}`)).toEqual([
      'task:exit-interview 2026-07-07',
      'document:post-employment-obligations 2026-06-30',
      'task:return-of-assets 2026-06-30',
    ]);
  });
});

describe(`${deriveAssignments.name} (continued)`, () => {
  it('gives the same answer whatever order its input comes in', () => {
    const rules = loadRequirementsFile(DEFAULT_REQUIREMENTS_FILE);
    const completions = [
      signed('2026-01-07', '1.0'),
      trained('2026-01-20'),
      trained('2027-01-10'),
      checked('criminal_record', '2025-12-28'),
      checked('employment_verification', '2025-12-30'),
    ];
    const waivers = [waiver({ requirementId: 'employee-acceptable-use-policy' })];
    const publications = new Map([
      ['nda', [version('2.0', '2026-03-01', true), version('1.0', '2025-06-01', true)]],
    ]);
    const input = {
      rules,
      completions,
      waivers,
      publications,
      today: '2027-02-01',
      person: aPerson({ roles: [Role.Admin] }),
    };
    const forwards = derive(input);
    const backwards = derive({
      ...input,
      rules: [...rules].reverse(),
      completions: [...completions].reverse(),
      publications: new Map([['nda', [...publications.get('nda')!].reverse()]]),
    });
    expect(backwards).toEqual(forwards);
    expect(forwards.length).toBeGreaterThan(10);
  });
});
