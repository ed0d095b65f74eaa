import { randomUUID } from 'node:crypto';

/** A person row as the auditors' queries read it; what a test does not give is filled in. */
export interface PersonRowInput {
  id?: string;
  employeeNumber?: string | null;
  fullName?: string;
  email?: string;
  department?: string | null;
  country?: string | null;
  employmentType?: 'employee' | 'contractor';
  startDate?: string | null;
  endDate?: string | null;
  status?: 'pre_start' | 'active' | 'on_leave' | 'terminated';
}

export type PersonRow = Required<PersonRowInput>;

let counter = 0;

export function aPersonRow(input: PersonRowInput = {}): PersonRow {
  counter += 1;
  const id = input.id ?? randomUUID();
  return {
    id,
    employeeNumber:
      input.employeeNumber === undefined ? `F${counter}-${id.slice(0, 6)}` : input.employeeNumber,
    fullName: input.fullName ?? `Person ${counter}`,
    email: input.email ?? `person-${id}@corp.example`,
    department: input.department === undefined ? 'Finance' : input.department,
    country: input.country === undefined ? 'US' : input.country,
    employmentType: input.employmentType ?? 'employee',
    startDate: input.startDate === undefined ? '2024-01-15' : input.startDate,
    endDate: input.endDate ?? null,
    status: input.status ?? (input.endDate ? 'terminated' : 'active'),
  };
}

/** Inserts the rows in batches with plain SQL (no derivation, no audit events). */
export async function insertPeople(
  query: (sql: string, params?: unknown[]) => Promise<unknown>,
  rows: readonly PersonRow[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    const batch = rows.slice(i, i + 1000);
    await query(
      `insert into person (id, email, full_name, employee_number, department, country,
         employment_type, start_date, end_date, status, roles, created_at, updated_at)
       select id, email, full_name, employee_number, department, country, employment_type,
              start_date, end_date, status, array['employee'], now(), now()
         from jsonb_to_recordset($1::jsonb) as r(id uuid, email text, full_name text,
              employee_number text, department text, country text, employment_type text,
              start_date date, end_date date, status text)`,
      [
        JSON.stringify(
          batch.map((r) => ({
            id: r.id,
            email: r.email,
            full_name: r.fullName,
            employee_number: r.employeeNumber,
            department: r.department,
            country: r.country,
            employment_type: r.employmentType,
            start_date: r.startDate,
            end_date: r.endDate,
            status: r.status,
          })),
        ),
      ],
    );
  }
}
