/*
 * People CSV format
 * =================
 *
 * One file, UTF-8 (a byte-order mark is fine), comma-separated, at most 5 MB and 200,000 rows.
 * Line 1 is the header; the columns may come in any order:
 *
 *   email            required  the person's work email; matched case-insensitively
 *   full_name        required
 *   employee_number  required  the HR system's key: letters, digits and . _ / -
 *   department       required
 *   job_title        required
 *   manager_email    optional  the manager's email: someone in this file or already in Attest
 *   employment_type  required  employee | contractor
 *   country          required  ISO 3166-1 alpha-2 code: US, DE, GB, IN (not UK); XK is accepted
 *   region           optional  state, province or region, where the law differs within a country
 *   start_date       required  YYYY-MM-DD
 *   end_date         optional  YYYY-MM-DD, not before start_date
 *   status           required  pre_start | active | on_leave | terminated
 *
 * Optional columns may be left out of the header: a person's value is then kept as it is. An
 * empty optional value clears it. Any other column is refused, as is an empty required value.
 * Each email and each employee_number may appear only once in a file.
 * No value may hold a control character or a directional formatting character (U+202A–U+202E,
 * U+2066–U+2069, U+200E, U+200F, U+061C), which would make it read otherwise than it is stored.
 *
 * Who may change what (checked against the people already in Attest): the email of a person who
 * has signed in belongs to the identity provider and cannot change; nobody changes their own
 * department, employment_type, country, region, start_date, end_date or status; and only an
 * admin changes an admin's row. A refused row is listed with its line and column, and audited.
 *
 * Every row is checked before anything is written, and every problem is listed with its line
 * and column. If any row is wrong, nothing is imported. A correct file is applied in one
 * transaction: each row updates the person with that employee_number, or else the person with
 * that email, or creates a new person (with the role "employee"; other roles come from
 * sign-in). Importing the same file again changes nothing.
 */
import { parse } from 'csv-parse/sync';
import {
  isPersonColumn,
  OPTIONAL_COLUMNS,
  PERSON_COLUMNS,
  type PersonColumn,
  type PersonFields,
  type RawPersonFields,
  validatePersonFields,
} from '../person-fields';

export const MAX_FILE_BYTES = 5 * 1024 * 1024;
export const MAX_ROWS = 200_000;

/** One problem, where a person fixing the file finds it: line 1 is the header. */
export interface ImportError {
  /** Null for problems with the file as a whole (its size). */
  line: number | null;
  column: string | null;
  message: string;
}

export interface PersonRow {
  line: number;
  fields: PersonFields;
}

export interface ParsedPeopleCsv {
  rows: PersonRow[];
  errors: ImportError[];
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const NEWLINE = 0x0a;

/** 1-based line of a byte offset. */
function lineAt(bytes: Buffer, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === NEWLINE) line++;
  return line;
}

/** Refuses what is not UTF-8 text, naming the first line at fault. */
function checkEncoding(bytes: Buffer): ImportError | undefined {
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    return {
      line: lineAt(bytes, nul),
      column: null,
      message:
        'The file contains binary data, so it is not a CSV file. Export it from your HR system as CSV (UTF-8).',
    };
  }
  // UTF-8 never uses the newline byte inside a character, so each line can be checked alone.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let start = 0;
  let line = 1;
  while (start <= bytes.length) {
    const end = bytes.indexOf(NEWLINE, start);
    const stop = end === -1 ? bytes.length : end;
    try {
      decoder.decode(bytes.subarray(start, stop));
    } catch {
      return {
        line,
        column: null,
        message:
          'This line is not valid UTF-8 text. Save the file as "CSV UTF-8" and upload it again.',
      };
    }
    if (end === -1) break;
    start = end + 1;
    line++;
  }
  return undefined;
}

interface CsvRecord {
  record: string[];
  info: { bytes: number };
}

/**
 * Parses and checks a people CSV file (see the format above). Pure: whether managers exist
 * and how rows match people already in Attest are the import service's questions.
 */
export function parsePeopleCsv(input: Buffer): ParsedPeopleCsv {
  if (input.length > MAX_FILE_BYTES) {
    return fail(null, `The file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB. Split it.`);
  }
  const bytes = input.subarray(0, 3).equals(BOM) ? input.subarray(3) : input;
  const encoding = checkEncoding(bytes);
  if (encoding) return { rows: [], errors: [encoding] };

  const errors: ImportError[] = [];
  let records: CsvRecord[];
  try {
    records = parse(bytes, {
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      to: MAX_ROWS + 2,
      on_skip: (error: { lines?: number; message: string } | undefined) => {
        if (error) errors.push({ line: error.lines ?? null, column: null, message: error.message });
      },
    }) as unknown as CsvRecord[];
  } catch (error) {
    const { lines, message } = error as { lines?: number; message: string };
    return fail(lines ?? null, message);
  }
  if (records.length === 0) return fail(1, 'The file is empty. Line 1 must be the header.');
  if (records.length > MAX_ROWS + 1) {
    return fail(null, `The file has more than ${MAX_ROWS} rows. Split it into smaller files.`);
  }

  // Lines are counted from byte offsets: csv-parse's own line count drifts after CRLF line ends
  // inside quoted values. A record starts after the previous one's end and any empty lines.
  let cursor = 0;
  let cursorLine = 1;
  let previousEnd = 0;
  const startLine = (record: CsvRecord): number => {
    let start = previousEnd;
    while (start < bytes.length && (bytes[start] === NEWLINE || bytes[start] === 0x0d)) start++;
    for (; cursor < start; cursor++) if (bytes[cursor] === NEWLINE) cursorLine++;
    previousEnd = record.info.bytes;
    return cursorLine;
  };

  const [header, ...body] = records;
  startLine(header);
  const columns = readHeader(header.record, errors);
  const rows: PersonRow[] = [];
  const seenEmail = new Map<string, number>();
  const seenNumber = new Map<string, number>();
  for (const record of body) {
    const at = startLine(record);
    if (!columns) continue;
    if (record.record.length !== columns.length) {
      errors.push({
        line: at,
        column: null,
        message: `This row has ${record.record.length} values but the header has ${columns.length} columns.`,
      });
      continue;
    }
    const raw: RawPersonFields = {};
    columns.forEach((column, i) => (raw[column] = record.record[i]));
    const checked = validatePersonFields(raw);
    const position = (e: { column: PersonColumn }) => columns.indexOf(e.column);
    checked.errors.sort((a, b) => position(a) - position(b));
    for (const e of checked.errors) errors.push({ line: at, ...e });
    if (!checked.fields) continue;
    const { email, employeeNumber } = checked.fields;
    const duplicate = (seen: Map<string, number>, key: string, column: PersonColumn) => {
      const earlier = seen.get(key);
      if (earlier === undefined) return seen.set(key, at) && false;
      errors.push({ line: at, column, message: `"${key}" is already on line ${earlier}.` });
      return true;
    };
    const twiceEmail = duplicate(seenEmail, email, 'email');
    const twiceNumber = duplicate(seenNumber, employeeNumber, 'employee_number');
    if (!twiceEmail && !twiceNumber) rows.push({ line: at, fields: checked.fields });
  }
  errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { rows: errors.length > 0 ? [] : rows, errors };
}

/** The header's columns in file order, or undefined (with errors) when it is not usable. */
function readHeader(names: string[], errors: ImportError[]): PersonColumn[] | undefined {
  const columns: PersonColumn[] = [];
  const problems: ImportError[] = [];
  names.forEach((rawName, i) => {
    const name = rawName.trim().toLowerCase();
    if (name === '') {
      problems.push({ line: 1, column: null, message: `Column ${i + 1} has no name.` });
    } else if (!isPersonColumn(name)) {
      problems.push({
        line: 1,
        column: rawName,
        message: `Unknown column "${rawName}". The columns are: ${PERSON_COLUMNS.join(', ')}.`,
      });
    } else if (columns.includes(name)) {
      problems.push({ line: 1, column: name, message: `Column "${name}" appears twice.` });
    } else {
      columns.push(name);
    }
  });
  const missing = PERSON_COLUMNS.filter((c) => !OPTIONAL_COLUMNS.has(c) && !columns.includes(c));
  if (missing.length > 0) {
    problems.push({
      line: 1,
      column: null,
      message: `The header lacks required column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}.`,
    });
  }
  errors.push(...problems);
  return problems.length > 0 ? undefined : columns;
}

function fail(line: number | null, message: string): ParsedPeopleCsv {
  return { rows: [], errors: [{ line, column: null, message }] };
}
