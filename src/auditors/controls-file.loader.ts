import { readFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { type Document, isMap, isScalar, LineCounter, type Node, parseDocument } from 'yaml';
import type { z } from 'zod';
import type { RequirementKind } from '../requirements/requirement-rule';
import { type ControlsFileProblem, ControlsFileInvalid } from './auditors.errors';
import { type ControlsFileContent, controlsFileSchema } from './controls-file.schema';

const PROJECT_ROOT = join(__dirname, '..', '..');

export const CONTROLS_FILE_NAME = 'controls.yml';

/** The checkout's own mapping, as shipped. */
export const DEFAULT_CONTROLS_FILE = join(PROJECT_ROOT, 'policies', CONTROLS_FILE_NAME);

/** Which records evidence a control: completions and assignments of this kind and subject. */
export interface EvidenceSelector {
  readonly kind: RequirementKind;
  readonly subject: string;
}

/** One control of a framework, as policies/controls.yml maps it. */
export interface Control {
  readonly id: string;
  readonly framework: string;
  readonly title: string;
  readonly description: string;
  readonly evidence: readonly EvidenceSelector[];
}

/** Reads and validates the controls file; throws {@link ControlsFileInvalid} naming every line. */
export function loadControlsFile(path: string): readonly Control[] {
  const shown = relative(PROJECT_ROOT, path);
  const fileName = shown.startsWith('..') || isAbsolute(shown) ? path : shown;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ControlsFileInvalid(fileName, [
      {
        line: 1,
        column: 1,
        message: `cannot be read (${reason}); create it or fix its permissions`,
      },
    ]);
  }
  return parseControlsFile(text, fileName);
}

/** Parses controls from YAML text. `fileName` only labels the error messages. */
export function parseControlsFile(text: string, fileName: string): readonly Control[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const at: Locate = (offset) => {
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
  };
  if (doc.errors.length > 0) {
    throw new ControlsFileInvalid(
      fileName,
      doc.errors.map((error) => ({
        ...at(error.pos[0]),
        message: `is not valid YAML: ${error.message.split(/ at line \d+/)[0]}`,
      })),
    );
  }
  const raw: unknown = doc.toJS();
  const parsed = controlsFileSchema.safeParse(raw);
  const problems = parsed.success
    ? duplicates(parsed.data, doc, at)
    : parsed.error.issues.flatMap((issue) => describeIssue(issue, raw, doc, at));
  if (problems.length > 0 || !parsed.success) {
    throw new ControlsFileInvalid(
      fileName,
      [...problems].sort((a, b) => a.line - b.line || a.column - b.column),
    );
  }
  return deepFreeze(
    parsed.data.controls.map((c) => ({
      id: c.id,
      framework: c.framework,
      title: c.title,
      description: c.description,
      evidence: c.evidence.map((e) => ({ kind: e.kind, subject: e.subject })),
    })),
  );
}

type Locate = (offset: number) => { line: number; column: number };
type PathKey = string | number;

function describeIssue(
  issue: z.core.$ZodIssue,
  raw: unknown,
  doc: Document,
  at: Locate,
): ControlsFileProblem[] {
  const path = issue.path.filter((k): k is PathKey => typeof k !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      ...at(keyOffset(doc, path, key)),
      message: `${label([...path, key])} is not a known key; a control has id, framework, title, description and evidence`,
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

/** A control id used twice, or the same evidence listed twice under one control. */
function duplicates(content: ControlsFileContent, doc: Document, at: Locate) {
  const problems: ControlsFileProblem[] = [];
  const firstLine = new Map<string, number>();
  content.controls.forEach((control, index) => {
    const position = at(nodeOffset(doc, ['controls', index, 'id']));
    const earlier = firstLine.get(control.id);
    if (earlier === undefined) firstLine.set(control.id, position.line);
    else {
      problems.push({
        ...position,
        message: `id "${control.id}" is already used on line ${earlier}; every control needs its own id`,
      });
    }
    const seen = new Set<string>();
    control.evidence.forEach((selector, i) => {
      const key = `${selector.kind}:${selector.subject}`;
      if (seen.has(key)) {
        problems.push({
          ...at(nodeOffset(doc, ['controls', index, 'evidence', i])),
          message: `evidence[${i}] repeats ${selector.kind} ${selector.subject}; list it once`,
        });
      }
      seen.add(key);
    });
  });
  return problems;
}

/** `controls[2].evidence[0].kind` is shown as `evidence[0].kind`: the line says which control. */
function label(path: readonly PathKey[]): string {
  const inControl = path[0] === 'controls' && typeof path[1] === 'number' && path.length > 2;
  const shown = inControl ? path.slice(2) : path;
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

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}
