import { BadRequestException } from '@nestjs/common';

/** The filters every onboarding list accepts, validated at the edge. */
export interface OnboardingFilters {
  readonly department?: string;
  readonly country?: string;
  /** YYYY-MM of the start date. */
  readonly startMonth?: string;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

function text(value: unknown, name: string, max: number): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || value.length > max) {
    throw new BadRequestException(`The ${name} filter must be text of at most ${max} characters.`);
  }
  return value;
}

export function parseFilters(query: Record<string, unknown>): OnboardingFilters {
  const country = text(query.country, 'country', 2)?.toUpperCase();
  if (country && !/^[A-Z]{2}$/.test(country)) {
    throw new BadRequestException('The country filter must be a two-letter ISO code.');
  }
  const startMonth = text(query.startMonth, 'start month', 7);
  if (startMonth && !MONTH.test(startMonth)) {
    throw new BadRequestException('The start month filter must look like 2026-03.');
  }
  return { department: text(query.department, 'department', 200), country, startMonth };
}

/** Keyset cursor for the overdue list: due date and assignment id of the last row shown. */
export interface OverdueCursor {
  readonly dueDate: string;
  readonly id: string;
}

export function parseCursor(value: unknown): OverdueCursor | undefined {
  if (value === undefined || value === '') return undefined;
  const match =
    typeof value === 'string' ? /^(\d{4}-\d{2}-\d{2})_([0-9a-f-]{36})$/.exec(value) : null;
  if (!match) throw new BadRequestException('The page link is not valid; start from page one.');
  return { dueDate: match[1], id: match[2] };
}

export function cursorOf(cursor: OverdueCursor): string {
  return `${cursor.dueDate}_${cursor.id}`;
}
