import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Role } from '../access/role';
import { EmploymentType } from '../people/person.entity';
import { RequirementKind } from './requirement-rule';
import {
  DEFAULT_REQUIREMENTS_FILE,
  loadRequirementsFile,
  parseRequirementsFile,
} from './requirements-file.loader';
import { RequirementsFileInvalid } from './requirements.errors';

const FILE = 'policies/requirements.yml';

/** A valid file with one rule; `rule` lines replace the default rule's body. */
const aFile = (rule?: string, extraRules = '') =>
  [
    'version: 1',
    'requirements:',
    '  - id: employee-nda',
    ...(
      rule ??
      'kind: document\nsubject: nda\napplies_to: { employment_types: [employee] }\ndue:\n  days_after_start: 7'
    )
      .split('\n')
      .map((line) => `    ${line}`),
    extraRules,
  ].join('\n');

function problemsOf(text: string): string[] {
  try {
    parseRequirementsFile(text, FILE);
  } catch (error) {
    if (error instanceof RequirementsFileInvalid) return [...error.lines];
    throw error;
  }
  throw new Error('the file was accepted');
}

describe(parseRequirementsFile.name, () => {
  it('maps a good file to typed rules', () => {
    const rules = parseRequirementsFile(
      aFile(
        [
          'kind: background_check',
          'subject: criminal_record',
          'applies_to:',
          '  countries: [US]',
          '  exclude_countries: [CA]',
          '  employment_types: [employee, contractor]',
          '  departments: [Finance]',
          '  roles: [admin]',
          'due: { days_after_start: -3 }',
          'recurrence: { every_months: 36 }',
        ].join('\n'),
      ),
      FILE,
    );
    expect(rules).toEqual([
      {
        id: 'employee-nda',
        kind: RequirementKind.BackgroundCheck,
        subject: 'criminal_record',
        appliesTo: {
          countries: ['US'],
          excludeCountries: ['CA'],
          employmentTypes: [EmploymentType.Employee, EmploymentType.Contractor],
          departments: ['Finance'],
          roles: [Role.Admin],
        },
        dueDaysAfterStart: -3,
        recurrenceMonths: 36,
      },
    ]);
  });

  it('treats a missing or empty applies_to as everyone', () => {
    const rules = parseRequirementsFile(
      aFile('kind: training\nsubject: security-awareness\ndue: { days_after_start: 30 }'),
      FILE,
    );
    expect(rules[0].appliesTo).toEqual({});
  });

  it('returns frozen rules', () => {
    const rules = parseRequirementsFile(aFile(), FILE);
    expect(Object.isFrozen(rules)).toBe(true);
    expect(Object.isFrozen(rules[0].appliesTo.employmentTypes)).toBe(true);
  });

  it.each<[string, string, string[]]>([
    [
      'a fractional number of days',
      aFile('kind: document\nsubject: nda\ndue:\n  days_after_start: 7.5'),
      [`${FILE} line 7, column 25: due.days_after_start must be a whole number`],
    ],
    [
      'a number written as text',
      aFile('kind: document\nsubject: nda\ndue: { days_after_start: "7" }'),
      [`${FILE} line 6, column 30: due.days_after_start must be a whole number`],
    ],
    [
      'an unknown key, at the key',
      aFile(
        'kind: document\nsubject: nda\ndue: { days_after_start: 7 }\nrecurrance: { every_months: 12 }',
      ),
      [
        `${FILE} line 7, column 5: recurrance is not a known key; check its spelling against the comments at the top of the file`,
      ],
    ],
    [
      'an unknown selector',
      aFile(
        'kind: document\nsubject: nda\napplies_to: { country: [US] }\ndue: { days_after_start: 7 }',
      ),
      [
        `${FILE} line 6, column 19: applies_to.country is not a known key; check its spelling against the comments at the top of the file`,
      ],
    ],
    [
      'an unknown kind',
      aFile('kind: course\nsubject: nda\ndue: { days_after_start: 7 }'),
      [`${FILE} line 4, column 11: kind must be one of document, training, background_check, task`],
    ],
    [
      'an unknown check type',
      aFile('kind: background_check\nsubject: credit_score\ndue: { days_after_start: -3 }'),
      [
        `${FILE} line 5, column 14: subject must be a background check type: criminal_record, employment_verification, education_verification, identity_verification, right_to_work`,
      ],
    ],
    [
      'an unknown role',
      aFile(
        'kind: document\nsubject: nda\napplies_to: { roles: [root] }\ndue: { days_after_start: 7 }',
      ),
      [
        `${FILE} line 6, column 27: applies_to.roles[0] must be one of employee, hr, auditor, admin`,
      ],
    ],
    [
      'an unknown employment type',
      aFile(
        'kind: document\nsubject: nda\napplies_to:\n  employment_types: [intern]\ndue: { days_after_start: 7 }',
      ),
      [
        `${FILE} line 7, column 26: applies_to.employment_types[0] must be one of employee, contractor`,
      ],
    ],
    [
      'a lower-case country',
      aFile(
        'kind: document\nsubject: nda\napplies_to: { countries: [us] }\ndue: { days_after_start: 7 }',
      ),
      [
        `${FILE} line 6, column 31: applies_to.countries[0] must be a two-letter upper-case country code (ISO 3166-1) such as US or DE`,
      ],
    ],
    [
      'an empty selector list',
      aFile(
        'kind: document\nsubject: nda\napplies_to: { departments: [] }\ndue: { days_after_start: 7 }',
      ),
      [
        `${FILE} line 6, column 32: applies_to.departments must name at least one entry; leave the key out to match everyone`,
      ],
    ],
    [
      'a missing due, at its requirement',
      aFile('kind: document\nsubject: nda'),
      [`${FILE} line 3, column 5: due is required`],
    ],
    [
      're-acknowledgement on training',
      aFile(
        'kind: training\nsubject: security-awareness\ndue: { days_after_start: 30 }\nreacknowledge: { days_after_publication: 30 }',
      ),
      [
        `${FILE} line 7, column 20: reacknowledge applies to documents only: only documents have new versions to re-sign`,
      ],
    ],
    [
      'a zero-month recurrence',
      aFile(
        'kind: training\nsubject: security-awareness\ndue: { days_after_start: 30 }\nrecurrence: { every_months: 0 }',
      ),
      [`${FILE} line 7, column 33: recurrence.every_months must be at least 1`],
    ],
    [
      'an id that is not kebab-case',
      aFile().replace('employee-nda', 'Employee_NDA'),
      [`${FILE} line 3, column 9: id must be a kebab-case name such as us-criminal-record`],
    ],
    [
      'a duplicate id, at the second one',
      aFile(
        undefined,
        '  - id: employee-nda\n    kind: document\n    subject: nda\n    due: { days_after_start: 7 }',
      ),
      [
        `${FILE} line 9, column 9: id "employee-nda" is already used on line 3; every requirement needs its own id`,
      ],
    ],
    [
      'a duplicate key',
      aFile('kind: document\nkind: training\nsubject: nda\ndue: { days_after_start: 7 }'),
      [`${FILE} line 5, column 5: is not valid YAML: Map keys must be unique`],
    ],
    [
      'a broken flow list',
      aFile(
        'kind: document\nsubject: nda\napplies_to: { countries: [US }\ndue: { days_after_start: 7 }',
      ),
      [
        `${FILE} line 6, column 34: is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]`,
        `${FILE} line 7, column 5: is not valid YAML: Flow map in block collection must be sufficiently indented and end with a }`,
      ],
    ],
    [
      'a due with both anchors',
      aFile('kind: document\nsubject: nda\ndue: { days_after_start: 7, days_after_end: 0 }'),
      [
        `${FILE} line 6, column 10: due must give exactly one of days_after_start (joiners) or days_after_end (leavers)`,
      ],
    ],
    [
      'a task without done_by',
      aFile('kind: task\nsubject: return-of-assets\ndue: { days_after_end: 0 }'),
      [`${FILE} line 4, column 11: kind a task needs done_by: hr, manager or [hr, manager]`],
    ],
    [
      'an unknown task and doer',
      aFile('kind: task\nsubject: shred-laptop\ndue: { days_after_end: 0 }\ndone_by: ceo'),
      [`${FILE} line 7, column 14: done_by must be hr, manager or a list such as [hr, manager]`],
    ],
    [
      'an unknown task',
      aFile('kind: task\nsubject: shred-laptop\ndue: { days_after_end: 0 }\ndone_by: hr'),
      [
        `${FILE} line 5, column 14: subject must be an offboarding task: return-of-assets, exit-interview, access-review`,
      ],
    ],
    [
      'a task for joiners',
      aFile('kind: task\nsubject: exit-interview\ndue: { days_after_start: 0 }\ndone_by: hr'),
      [`${FILE} line 6, column 10: due tasks are for leavers: give due: { days_after_end: N }`],
    ],
    [
      'done_by on a document',
      aFile('kind: document\nsubject: nda\ndue: { days_after_end: 0 }\ndone_by: hr'),
      [
        `${FILE} line 7, column 14: done_by applies to tasks only: people do their own documents, training and checks`,
      ],
    ],
    [
      'a recurring leaving rule',
      aFile(
        'kind: training\nsubject: security-awareness\ndue: { days_after_end: 0 }\nrecurrence: { every_months: 12 }',
      ),
      [
        `${FILE} line 7, column 17: recurrence a leaving rule (days_after_end) happens once: leave out recurrence and reacknowledge`,
      ],
    ],
    [
      'an unknown version',
      aFile().replace('version: 1', 'version: 2'),
      [`${FILE} line 1, column 10: version must be 1`],
    ],
    [
      'an empty file',
      '',
      [
        `${FILE} line 1, column 1: the file must be a map with \`version: 1\`, a \`requirements:\` list and optional \`notifications:\``,
      ],
    ],
  ])('refuses %s, naming the line', (_case, text, expected) => {
    expect(problemsOf(text)).toEqual(expected);
  });

  it('maps a leaving task with its doers and its due date after the end date', () => {
    const [rule] = parseRequirementsFile(
      aFile(
        'kind: task\nsubject: exit-interview\napplies_to: {}\ndue: { days_after_end: 7 }\ndone_by: [hr, manager, hr]',
      ),
      FILE,
    );
    expect(rule).toEqual({
      id: 'employee-nda',
      kind: RequirementKind.Task,
      subject: 'exit-interview',
      appliesTo: {},
      dueDaysAfterStart: 0,
      dueDaysAfterEnd: 7,
      doneBy: ['hr', 'manager'],
    });
  });

  it('lists every problem in line order', () => {
    const text = aFile(
      'kind: course\nsubject: nda\ndue: { days_after_start: 1.5 }\nrecurrance: {}',
    );
    expect(problemsOf(text).map((line) => line.split(':')[0])).toEqual([
      `${FILE} line 4, column 11`,
      `${FILE} line 6, column 30`,
      `${FILE} line 7, column 5`,
    ]);
  });

  it('says in its message what to do', () => {
    expect(() => parseRequirementsFile(aFile('kind: course'), FILE)).toThrow(
      /^Attest cannot start: policies\/requirements\.yml has 3 problem\(s\)\.\n {2}- policies\/requirements\.yml line 3, column 5: subject is required\n.*\nFix the file and start again\.$/s,
    );
  });
});

describe(loadRequirementsFile.name, () => {
  it('accepts the shipped rules file', () => {
    const rules = loadRequirementsFile(DEFAULT_REQUIREMENTS_FILE);
    expect(rules.map((rule) => rule.id)).toContain('us-criminal-record');
  });

  it('names a missing file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'attest-requirements-'));
    try {
      expect(() => loadRequirementsFile(join(dir, 'requirements.yml'))).toThrow(
        /requirements\.yml line 1, column 1: cannot be read \(ENOENT\)/,
      );
      writeFileSync(join(dir, 'requirements.yml'), 'version: 1\nrequirements: {}\n');
      expect(() => loadRequirementsFile(join(dir, 'requirements.yml'))).toThrow(
        /line 2, column 15: requirements must be a list of requirements/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
