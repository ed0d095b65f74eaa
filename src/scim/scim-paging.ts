import { invalidValue } from './scim.errors';
import { MAX_COUNT } from './scim-schemas';

export interface ScimListQuery {
  filter?: string;
  startIndex?: string;
  count?: string;
  attributes?: string;
  excludedAttributes?: string;
}

function integer(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^-?\d{1,9}$/.test(value)) throw invalidValue(`"${name}" must be an integer.`);
  return Number(value);
}

/**
 * RFC 7644 §3.4.2.4: startIndex is 1-based and below 1 means 1; a negative count means 0; the
 * service provider caps count (MAX_COUNT, as ServiceProviderConfig says).
 */
export function paging(query: ScimListQuery): { startIndex: number; count: number } {
  const startIndex = Math.max(1, integer(query.startIndex, 'startIndex') ?? 1);
  const count = Math.min(MAX_COUNT, Math.max(0, integer(query.count, 'count') ?? 100));
  return { startIndex, count };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}
