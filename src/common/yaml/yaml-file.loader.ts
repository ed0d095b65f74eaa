import { readFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { type Document, isMap, isScalar, LineCounter, type Node, parseDocument } from 'yaml';
import type { z } from 'zod';
import type { YamlFileInvalid, YamlFileProblem } from './yaml-file.errors';

const PROJECT_ROOT = join(__dirname, '..', '..', '..');

export type YamlPath = readonly (string | number)[];

/** Where a node of the file starts; a path that does not exist points at its nearest parent. */
export type Locate = (path: YamlPath) => { line: number; column: number };

/** What one kind of YAML file needs beyond the shared reading, parsing and error reporting. */
export interface YamlFileKind<S extends z.ZodType, T> {
  readonly schema: S;
  /** The top-level list (`requirements`, `controls`): its items' paths are shown without it. */
  readonly listKey: string;
  /** Said after "… is not a known key; ". */
  readonly unknownKeyHint: string;
  /** The file's own error, so callers can tell the rules file from the controls file. */
  readonly invalid: new (file: string, problems: readonly YamlFileProblem[]) => YamlFileInvalid;
  /** Checks the schema cannot express, such as an id used twice. */
  readonly check?: (content: z.output<S>, locate: Locate) => YamlFileProblem[];
  readonly build: (content: z.output<S>) => T;
}

/** Reads and validates a YAML file; throws the kind's error naming every line. */
export function loadYamlFile<S extends z.ZodType, T>(path: string, kind: YamlFileKind<S, T>): T {
  const shown = relative(PROJECT_ROOT, path);
  const fileName = shown.startsWith('..') || isAbsolute(shown) ? path : shown;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new kind.invalid(fileName, [
      {
        line: 1,
        column: 1,
        message: `cannot be read (${reason}); create it or fix its permissions`,
      },
    ]);
  }
  return parseYamlFile(text, fileName, kind);
}

/** Parses YAML text. `fileName` only labels the error messages. The result is frozen. */
export function parseYamlFile<S extends z.ZodType, T>(
  text: string,
  fileName: string,
  kind: YamlFileKind<S, T>,
): T {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const at: AtOffset = (offset) => {
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
  };

  if (doc.errors.length > 0) {
    throw new kind.invalid(
      fileName,
      doc.errors.map((error) => ({
        ...at(error.pos[0]),
        // The library appends " at line N, column M:" and a snippet; we print the position.
        message: `is not valid YAML: ${error.message.split(/ at line \d+/)[0]}`,
      })),
    );
  }

  const raw: unknown = doc.toJS();
  const parsed = kind.schema.safeParse(raw);
  const problems = parsed.success
    ? (kind.check?.(parsed.data, (path) => at(nodeOffset(doc, path))) ?? [])
    : parsed.error.issues.flatMap((issue) => describeIssue(issue, raw, doc, at, kind));
  if (problems.length > 0 || !parsed.success) {
    throw new kind.invalid(
      fileName,
      [...problems].sort((a, b) => a.line - b.line || a.column - b.column),
    );
  }
  return deepFreeze(kind.build(parsed.data));
}

type AtOffset = (offset: number) => { line: number; column: number };
type PathKey = string | number;

function describeIssue(
  issue: z.core.$ZodIssue,
  raw: unknown,
  doc: Document,
  at: AtOffset,
  kind: YamlFileKind<z.ZodType, unknown>,
): YamlFileProblem[] {
  const path = issue.path.filter((k): k is PathKey => typeof k !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      ...at(keyOffset(doc, path, key)),
      message: `${label([...path, key], kind.listKey)} is not a known key; ${kind.unknownKeyHint}`,
    }));
  }
  const missing = valueAt(raw, path) === undefined && path.length > 0;
  return [
    {
      ...at(nodeOffset(doc, path)),
      message: `${label(path, kind.listKey)} ${missing ? 'is required' : issue.message}`,
    },
  ];
}

/** `requirements[3].due.days_after_start` is shown as `due.days_after_start`: the line says which. */
function label(path: YamlPath, listKey: string): string {
  const inItem = path[0] === listKey && typeof path[1] === 'number' && path.length > 2;
  const shown = inItem ? path.slice(2) : path;
  if (shown.length === 0) return 'the file';
  return shown.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${key}` : key),
    '',
  );
}

/** The start of the deepest node that exists along `path`, so a missing key points at its map. */
function nodeOffset(doc: Document, path: YamlPath): number {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : (doc.getIn(path.slice(0, depth), true) as unknown);
    const range = (node as Node | null | undefined)?.range;
    if (range) return range[0];
  }
  return 0;
}

function keyOffset(doc: Document, path: YamlPath, key: string): number {
  const map: unknown = path.length === 0 ? doc.contents : doc.getIn(path, true);
  if (isMap(map)) {
    const pair = map.items.find((item) => isScalar(item.key) && item.key.value === key);
    if (isScalar(pair?.key) && pair.key.range) return pair.key.range[0];
  }
  return nodeOffset(doc, path);
}

function valueAt(value: unknown, path: YamlPath): unknown {
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
