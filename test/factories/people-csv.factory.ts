import { PERSON_COLUMNS, type PersonColumn } from '../../src/people/person-fields';

export type CsvRow = Record<PersonColumn, string>;

let sequence = 0;

/** A valid row for a new person; each call gets its own email and employee number. */
export function personRow(overrides: Partial<CsvRow> = {}): CsvRow {
  sequence++;
  const n = String(sequence).padStart(5, '0');
  return {
    email: `person.${n}@corp.example`,
    full_name: `Person ${n}`,
    employee_number: `E${n}`,
    department: 'Engineering',
    job_title: 'Software Engineer',
    manager_email: '',
    employment_type: 'employee',
    country: 'US',
    region: 'CA',
    start_date: '2026-01-05',
    end_date: '',
    status: 'active',
    ...overrides,
  };
}

function quote(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A CSV file of `rows`, with the given columns (all of them, in the documented order, by default). */
export function peopleCsv(
  rows: Array<Partial<Record<string, string>>>,
  columns: readonly string[] = PERSON_COLUMNS,
  newline = '\n',
): Buffer {
  const lines = [
    columns.join(','),
    ...rows.map((r) => columns.map((c) => quote(r[c] ?? '')).join(',')),
  ];
  return Buffer.from(lines.join(newline) + newline, 'utf8');
}
