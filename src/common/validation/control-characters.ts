/**
 * C0 controls and DEL (and the C1 block): never part of a name, filter or id. NUL in
 * particular cannot be stored in a PostgreSQL text value and would surface as a 500.
 */
// oxlint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;
/** The same, but tab, line feed and carriage return, which a multi-line text area sends. */
// oxlint-disable-next-line no-control-regex -- as above
const CONTROL_IN_FORM_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/u;

/** Nesting past this is refused rather than walked (bodies are 100 kB at most anyway). */
const MAX_DEPTH = 32;

export interface ControlCharacterFound {
  /** Where it was: `department`, `members[0].value`. */
  readonly field: string;
  /** The character as a code point, e.g. `U+0000`. */
  readonly codePoint: string;
}

function codePointOf(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

function find(
  value: unknown,
  field: string,
  pattern: RegExp,
  depth: number,
): ControlCharacterFound | undefined {
  if (typeof value === 'string') {
    const match = pattern.exec(value);
    return match ? { field, codePoint: codePointOf(match[0]) } : undefined;
  }
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return undefined;
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((item, i) => [`${field}[${i}]`, item])
    : Object.entries(value).map(([key, item]) => [field ? `${field}.${key}` : key, item]);
  for (const [name, item] of entries) {
    // A control character in a field's name is as bad as one in its value.
    const inName = pattern.exec(name);
    if (inName) return { field: name.replace(pattern, '?'), codePoint: codePointOf(inName[0]) };
    const found = find(item, name, pattern, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** The first control character in a request's path parameters or query string. */
export function controlCharacterInQuery(query: unknown): ControlCharacterFound | undefined {
  return find(query, '', CONTROL, 0);
}

/** The first control character in a body, allowing the line breaks and tabs of text areas. */
export function controlCharacterInBody(body: unknown): ControlCharacterFound | undefined {
  return find(body, '', CONTROL_IN_FORM_TEXT, 0);
}
