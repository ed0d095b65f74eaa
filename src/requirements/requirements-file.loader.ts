import { readFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { type Document, isMap, isScalar, LineCounter, type Node, parseDocument } from 'yaml';
import type { z } from 'zod';
import type { RequirementRule, RequirementSelector } from './requirement-rule';
import { type RequirementsFileContent, requirementsFileSchema } from './requirements-file.schema';
import { RequirementsFileInvalid, type RequirementsFileProblem } from './requirements.errors';

const PROJECT_ROOT = join(__dirname, '..', '..');

/** Where the organisation keeps its rules; dist/requirements and src/requirements alike. */
export const REQUIREMENTS_FILE_NAME = 'requirements.yml';

/** The checkout's own rules file, as shipped. */
export const DEFAULT_REQUIREMENTS_FILE = join(PROJECT_ROOT, 'policies', REQUIREMENTS_FILE_NAME);

/** Reads and validates a rules file; throws {@link RequirementsFileInvalid} naming every line. */
export function loadRequirementsFile(path: string): readonly RequirementRule[] {
  const shown = relative(PROJECT_ROOT, path);
  const fileName = shown.startsWith('..') || isAbsolute(shown) ? path : shown;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new RequirementsFileInvalid(fileName, [
      {
        line: 1,
        column: 1,
        message: `cannot be read (${reason}); create it or fix its permissions`,
      },
    ]);
  }
  return parseRequirementsFile(text, fileName);
}

/** Parses rules from YAML text. `fileName` only labels the error messages. */
export function parseRequirementsFile(text: string, fileName: string): readonly RequirementRule[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const at = (offset: number) => {
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
  };

  if (doc.errors.length > 0) {
    throw new RequirementsFileInvalid(
      fileName,
      doc.errors.map((error) => ({
        ...at(error.pos[0]),
        // The library appends " at line N, column M:" and a snippet; we print the position.
        message: `is not valid YAML: ${error.message.split(/ at line \d+/)[0]}`,
      })),
    );
  }

  const raw: unknown = doc.toJS();
  const parsed = requirementsFileSchema.safeParse(raw);
  const problems = parsed.success
    ? duplicateIds(parsed.data, doc, at)
    : parsed.error.issues.flatMap((issue) => describeIssue(issue, raw, doc, at));
  if (problems.length > 0 || !parsed.success) {
    throw new RequirementsFileInvalid(fileName, sortProblems(problems));
  }
  return deepFreeze(parsed.data.requirements.map(toRule));
}

type Locate = (offset: number) => { line: number; column: number };
type PathKey = string | number;

function describeIssue(
  issue: z.core.$ZodIssue,
  raw: unknown,
  doc: Document,
  at: Locate,
): RequirementsFileProblem[] {
  const path = issue.path.filter((k): k is PathKey => typeof k !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      ...at(keyOffset(doc, path, key)),
      message: `${label([...path, key])} is not a known key; check its spelling against the comments at the top of the file`,
    }));
  }
  const missing = valueAt(raw, path) === undefined && path.length > 0;
  return [
    {
      ...at(nodeOffset(doc, path)),
      message: `${label(path)} ${missing ? 'is required' : issue.message}`,
    },
  ];
}

function duplicateIds(content: RequirementsFileContent, doc: Document, at: Locate) {
  const firstLine = new Map<string, number>();
  const problems: RequirementsFileProblem[] = [];
  content.requirements.forEach((rule, index) => {
    const position = at(nodeOffset(doc, ['requirements', index, 'id']));
    const earlier = firstLine.get(rule.id);
    if (earlier === undefined) firstLine.set(rule.id, position.line);
    else {
      problems.push({
        ...position,
        message: `id "${rule.id}" is already used on line ${earlier}; every requirement needs its own id`,
      });
    }
  });
  return problems;
}

/** `requirements[3].due.days_after_start` is shown as `due.days_after_start`: the line says which. */
function label(path: readonly PathKey[]): string {
  const inRule = path[0] === 'requirements' && typeof path[1] === 'number' && path.length > 2;
  const shown = inRule ? path.slice(2) : path;
  if (shown.length === 0) return 'the file';
  return shown.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${key}` : key),
    '',
  );
}

/** The start of the deepest node that exists along `path`, so a missing key points at its map. */
function nodeOffset(doc: Document, path: readonly PathKey[]): number {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : (doc.getIn(path.slice(0, depth), true) as unknown);
    const range = (node as Node | null | undefined)?.range;
    if (range) return range[0];
  }
  return 0;
}

function keyOffset(doc: Document, path: readonly PathKey[], key: string): number {
  const map: unknown = path.length === 0 ? doc.contents : doc.getIn(path, true);
  if (isMap(map)) {
    const pair = map.items.find((item) => isScalar(item.key) && item.key.value === key);
    if (isScalar(pair?.key) && pair.key.range) return pair.key.range[0];
  }
  return nodeOffset(doc, path);
}

function valueAt(value: unknown, path: readonly PathKey[]): unknown {
  return path.reduce<unknown>(
    (current, key) =>
      current !== null && typeof current === 'object'
        ? (current as Record<PathKey, unknown>)[key]
        : undefined,
    value,
  );
}

function sortProblems(problems: RequirementsFileProblem[]): RequirementsFileProblem[] {
  return [...problems].sort((a, b) => a.line - b.line || a.column - b.column);
}

type FileRule = RequirementsFileContent['requirements'][number];

function toRule(rule: FileRule): RequirementRule {
  const selector = rule.applies_to ?? {};
  const appliesTo: RequirementSelector = {
    ...(selector.countries && { countries: selector.countries }),
    ...(selector.exclude_countries && { excludeCountries: selector.exclude_countries }),
    ...(selector.employment_types && { employmentTypes: selector.employment_types }),
    ...(selector.departments && { departments: selector.departments }),
    ...(selector.roles && { roles: selector.roles as RequirementSelector['roles'] }),
  };
  return {
    id: rule.id,
    kind: rule.kind,
    subject: rule.subject,
    appliesTo,
    dueDaysAfterStart: rule.due.days_after_start,
    ...(rule.recurrence && { recurrenceMonths: rule.recurrence.every_months }),
    ...(rule.reacknowledge && { reacknowledgeDays: rule.reacknowledge.days_after_publication }),
  };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}
