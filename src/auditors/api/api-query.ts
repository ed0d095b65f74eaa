import { BadRequestException } from '@nestjs/common';
import type { PopulationCursor } from '../population.repository';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 500;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A 400 whose JSON names the parameter, for clients that show it beside the field. */
function invalid(parameter: string, message: string): BadRequestException {
  return new BadRequestException({ message, details: { parameter } });
}

/** `limit`: 1 to 500, 100 when absent. */
export function parseLimit(value: unknown): number {
  if (value === undefined || value === '') return DEFAULT_PAGE_SIZE;
  const limit = typeof value === 'string' && /^\d{1,4}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw invalid('limit', `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}.`);
  }
  return limit;
}

const BAD_CURSOR = 'after must be the nextCursor of the previous page, unchanged.';

/** The people list's cursor: the last id of the previous page. */
export function parseIdCursor(value: unknown): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !UUID.test(value)) throw invalid('after', BAD_CURSOR);
  return value.toLowerCase();
}

/** A population's cursor: its last row's employee number and id, opaque to the client. */
export function encodePopulationCursor(cursor: PopulationCursor): string {
  return Buffer.from(JSON.stringify([cursor.employeeNumber, cursor.id]), 'utf8').toString(
    'base64url',
  );
}

export function parsePopulationCursor(value: unknown): PopulationCursor | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || value.length > 400) throw invalid('after', BAD_CURSOR);
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    throw invalid('after', BAD_CURSOR);
  }
  if (
    !Array.isArray(decoded) ||
    decoded.length !== 2 ||
    !(decoded[0] === null || (typeof decoded[0] === 'string' && decoded[0].length <= 64)) ||
    typeof decoded[1] !== 'string' ||
    !UUID.test(decoded[1])
  ) {
    throw invalid('after', BAD_CURSOR);
  }
  return { employeeNumber: decoded[0] as string | null, id: decoded[1] };
}
