import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RequirementKind } from '../requirements/requirement-rule';
import {
  DEFAULT_REQUIREMENTS_FILE,
  loadRequirementsFile,
} from '../requirements/requirements-file.loader';
import { ControlsFileInvalid } from './auditors.errors';
import { DEFAULT_CONTROLS_FILE, loadControlsFile, parseControlsFile } from './controls-file.loader';

const FILE = 'policies/controls.yml';

/** A valid file with one control; `evidence` lines replace its evidence list. */
const aFile = (evidence = '  - { kind: document, subject: nda }', extra = '') =>
  [
    'version: 1',
    'controls:',
    '  - id: iso27001-a.6.6',
    '    framework: ISO/IEC 27001:2022',
    '    title: A.6.6 Confidentiality or non-disclosure agreements',
    '    description: People sign NDAs.',
    '    evidence:',
    ...evidence.split('\n').map((line) => `    ${line}`),
    extra,
  ].join('\n');

function problemsOf(text: string): string[] {
  try {
    parseControlsFile(text, FILE);
  } catch (error) {
    if (error instanceof ControlsFileInvalid) return [...error.lines];
    throw error;
  }
  throw new Error('the file was accepted');
}

describe(parseControlsFile.name, () => {
  it('maps a good file to frozen controls', () => {
    const controls = parseControlsFile(
      aFile(
        '  - { kind: document, subject: nda }\n  - { kind: background_check, subject: criminal_record }',
      ),
      FILE,
    );
    expect(controls).toEqual([
      {
        id: 'iso27001-a.6.6',
        framework: 'ISO/IEC 27001:2022',
        title: 'A.6.6 Confidentiality or non-disclosure agreements',
        description: 'People sign NDAs.',
        evidence: [
          { kind: RequirementKind.Document, subject: 'nda' },
          { kind: RequirementKind.BackgroundCheck, subject: 'criminal_record' },
        ],
      },
    ]);
    expect(Object.isFrozen(controls[0].evidence[0])).toBe(true);
  });

  it.each<[string, string, string[]]>([
    [
      'an unknown kind',
      aFile('  - { kind: course, subject: nda }'),
      [
        `${FILE} line 8, column 17: evidence[0].kind must be one of document, training, background_check, task`,
      ],
    ],
    [
      'an unknown check type',
      aFile('  - { kind: background_check, subject: credit_score }'),
      [
        `${FILE} line 8, column 44: evidence[0].subject must be a background check type: criminal_record, employment_verification, education_verification, identity_verification, right_to_work`,
      ],
    ],
    [
      'a misspelt key, at the key',
      aFile('  - { kind: document, subjet: nda }'),
      [
        `${FILE} line 8, column 9: evidence[0].subject is required`,
        `${FILE} line 8, column 27: evidence[0].subjet is not a known key; a control has id, framework, title, description and evidence`,
      ],
    ],
    [
      'an empty evidence list',
      aFile('  []'),
      [`${FILE} line 8, column 7: evidence must name at least one kind of evidence`],
    ],
    [
      'a repeated selector',
      aFile('  - { kind: document, subject: nda }\n  - { kind: document, subject: nda }'),
      [`${FILE} line 9, column 9: evidence[1] repeats document nda; list it once`],
    ],
    [
      'a repeated control id',
      aFile(
        undefined,
        [
          '  - id: iso27001-a.6.6',
          '    framework: ISO',
          '    title: Again',
          '    description: Again.',
          '    evidence: [{ kind: document, subject: nda }]',
        ].join('\n'),
      ),
      [
        `${FILE} line 9, column 9: id "iso27001-a.6.6" is already used on line 3; every control needs its own id`,
      ],
    ],
    [
      'an id with spaces',
      aFile().replace('iso27001-a.6.6', '"A 6.6"'),
      [
        `${FILE} line 3, column 9: id must be lower case letters, digits, dots and dashes, such as soc2-cc1.1`,
      ],
    ],
    [
      'broken YAML',
      'version: 1\ncontrols: [',
      [
        `${FILE} line 2, column 12: is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]`,
      ],
    ],
  ])('refuses %s, naming the line', (_case, text, expected) => {
    expect(problemsOf(text)).toEqual(expected);
  });

  it('says a missing file cannot be read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'attest-controls-'));
    try {
      expect(() => loadControlsFile(join(dir, 'controls.yml'))).toThrow(
        /cannot be read \(ENOENT\)/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the shipped policies/controls.yml', () => {
  const controls = loadControlsFile(DEFAULT_CONTROLS_FILE);

  it('maps the SOC 2 and ISO/IEC 27001:2022 people controls the issue names', () => {
    expect(controls.map((c) => c.id)).toEqual([
      'soc2-cc1.1',
      'soc2-cc1.4',
      'soc2-cc2.2',
      'iso27001-a.6.1',
      'iso27001-a.6.2',
      'iso27001-a.6.3',
      'iso27001-a.5.11',
      'iso27001-a.6.5',
      'iso27001-a.6.6',
    ]);
  });

  it('names only subjects that some rule in policies/requirements.yml asks for', () => {
    const required = new Set(
      loadRequirementsFile(DEFAULT_REQUIREMENTS_FILE).map((r) => `${r.kind}:${r.subject}`),
    );
    const unmatched = controls.flatMap((c) =>
      c.evidence.map((e) => `${e.kind}:${e.subject}`).filter((key) => !required.has(key)),
    );
    expect(unmatched).toEqual([]);
  });
});
