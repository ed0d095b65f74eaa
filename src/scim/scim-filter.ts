import { type Filter, parse } from 'scim2-parse-filter';
import { invalidFilter } from './scim.errors';
import { ENTERPRISE_USER } from './scim-schemas';

/** A WHERE clause with `?` placeholders, as MikroORM's `execute` takes them. */
export interface SqlWhere {
  sql: string;
  params: unknown[];
}

type Kind = 'text' | 'caseless' | 'uuid' | 'boolean' | 'time';

/** How one filterable attribute reads in SQL; `eq` may have its own, index-friendly form. */
export interface Column {
  sql: string;
  kind: Kind;
  eq?: (value: string) => SqlWhere;
  /** `pr` where the column is no single expression (a group's members). */
  pr?: string;
}

/** Attribute name (lower-cased, schema URN stripped for the core schema) → column. */
export type Columns = Readonly<Record<string, Column>>;

const MEMBERS_PRESENT = 'exists (select 1 from scim_group_member m where m.group_id = g.id)';

/** RFC 3339 / xsd:dateTime: a date, optionally a time and an offset. */
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?([Zz]|[+-](\d{2}):(\d{2}))?)?$/;

/**
 * The instant a filter's time value names, or undefined for one that is no real date and time.
 * Date.parse accepts "2020-02-30" (as 1 March) and more; PostgreSQL refuses them.
 */
export function filterInstant(value: string): string | undefined {
  const m = DATE_TIME.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour = 0, minute = 0, second = 0] = m.slice(1, 7).map(Number);
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > days) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  if (m[8] !== undefined && (Number(m[8]) > 23 || Number(m[9]) > 59)) return undefined;
  const time = Date.parse(m[4] !== undefined && !m[7] ? `${value}Z` : value);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The User attributes a filter may name (RFC 7644 §3.4.2.2); the others are invalidFilter. */
export const USER_COLUMNS: Columns = {
  id: { sql: 'p.id', kind: 'uuid' },
  // userName is caseExact false (RFC 7643 §4.1.1); a person not yet provisioned by SCIM is
  // known by their email. Two index lookups, no scan of the table.
  username: {
    sql: 'lower(coalesce(p.scim_user_name, p.email))',
    kind: 'caseless',
    eq: (value) => ({
      sql: '(lower(p.scim_user_name) = lower(?) or (p.scim_user_name is null and p.email = lower(?)))',
      params: [value, value],
    }),
  },
  externalid: { sql: 'p.scim_external_id', kind: 'text' },
  emails: { sql: 'p.email', kind: 'caseless', eq: emailEq },
  'emails.value': { sql: 'p.email', kind: 'caseless', eq: emailEq },
  displayname: { sql: 'lower(p.full_name)', kind: 'caseless' },
  'name.formatted': { sql: 'lower(p.full_name)', kind: 'caseless' },
  active: { sql: `(p.status <> 'terminated')`, kind: 'boolean' },
  [`${ENTERPRISE_USER.toLowerCase()}:employeenumber`]: { sql: 'p.employee_number', kind: 'text' },
  [`${ENTERPRISE_USER.toLowerCase()}:department`]: {
    sql: 'lower(p.department)',
    kind: 'caseless',
  },
  'meta.created': { sql: 'p.created_at', kind: 'time' },
  'meta.lastmodified': { sql: 'p.updated_at', kind: 'time' },
};

/** Inside `emails[…]`: Attest keeps one address, of type work, primary. */
const EMAIL_COLUMNS: Columns = {
  value: { sql: 'p.email', kind: 'caseless', eq: emailEq },
  type: { sql: `'work'`, kind: 'caseless' },
  primary: { sql: 'true', kind: 'boolean' },
};

export const GROUP_COLUMNS: Columns = {
  id: { sql: 'g.id', kind: 'uuid' },
  displayname: { sql: 'lower(g.display_name)', kind: 'caseless' },
  externalid: { sql: 'g.external_id', kind: 'text' },
  'meta.created': { sql: 'g.created_at', kind: 'time' },
  'meta.lastmodified': { sql: 'g.updated_at', kind: 'time' },
  members: { sql: '', kind: 'uuid', eq: memberEq, pr: MEMBERS_PRESENT },
  'members.value': { sql: '', kind: 'uuid', eq: memberEq, pr: MEMBERS_PRESENT },
};

const MEMBER_COLUMNS: Columns = { value: GROUP_COLUMNS['members.value'] };

function emailEq(value: string): SqlWhere {
  return { sql: 'p.email = lower(?)', params: [value] };
}

function memberEq(value: string): SqlWhere {
  if (!UUID.test(value)) return { sql: 'false', params: [] };
  return {
    sql: 'exists (select 1 from scim_group_member m where m.group_id = g.id and m.person_id = ?)',
    params: [value],
  };
}

const CORE_PREFIX = /^urn:ietf:params:scim:schemas:core:2\.0:(user|group):/i;

function columnOf(columns: Columns, attrPath: string): Column {
  const name = attrPath.replace(CORE_PREFIX, '').toLowerCase();
  const column = columns[name];
  if (!column) {
    throw invalidFilter(
      `Filtering on "${attrPath}" is not supported. Filter on ${Object.keys(columns)
        .filter((k) => !k.startsWith('urn:'))
        .join(', ')}.`,
    );
  }
  return column;
}

function likeEscape(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function compare(column: Column, op: string, value: unknown, attrPath: string): SqlWhere {
  if (op === 'pr') return { sql: column.pr ?? `(${column.sql}) is not null`, params: [] };
  if (column.kind === 'boolean') {
    if (typeof value !== 'boolean' || (op !== 'eq' && op !== 'ne')) {
      throw invalidFilter(
        `"${attrPath}" is a boolean: compare it with eq or ne and true or false.`,
      );
    }
    return { sql: `(${column.sql}) ${op === 'eq' ? '=' : '<>'} ?`, params: [value] };
  }
  if (typeof value !== 'string') {
    throw invalidFilter(`Compare "${attrPath}" with a quoted string.`);
  }
  if (column.kind === 'uuid') {
    if (op !== 'eq' && op !== 'ne') throw invalidFilter(`Compare "${attrPath}" with eq or ne.`);
    if (column.eq) {
      const eq = column.eq(value);
      return op === 'eq' ? eq : { sql: `not coalesce(${eq.sql}, false)`, params: eq.params };
    }
    // A value that is no uuid names nothing; the cast would fail.
    if (!UUID.test(value)) return { sql: op === 'eq' ? 'false' : 'true', params: [] };
    return { sql: `${column.sql} ${op === 'eq' ? '=' : '<>'} ?`, params: [value] };
  }
  if (column.kind === 'time') {
    const ops: Record<string, string> = { eq: '=', ne: '<>', gt: '>', ge: '>=', lt: '<', le: '<=' };
    const instant = filterInstant(value);
    if (!ops[op] || !instant) {
      throw invalidFilter(
        `Compare "${attrPath}" with eq, ne, gt, ge, lt or le and a real date and time (xsd:dateTime, e.g. "2026-01-31T09:00:00Z"); "${value.slice(0, 40)}" is not one.`,
      );
    }
    return { sql: `${column.sql} ${ops[op]} ?::timestamptz`, params: [instant] };
  }
  if (op === 'eq' && column.eq) return column.eq(value);
  const lhs = column.sql;
  const rhs = column.kind === 'caseless' ? 'lower(?)' : '?';
  switch (op) {
    case 'eq':
      return { sql: `${lhs} = ${rhs}`, params: [value] };
    case 'ne':
      return { sql: `${lhs} is distinct from ${rhs}`, params: [value] };
    case 'co':
      return { sql: `${lhs} like ${rhs} escape '\\'`, params: [`%${likeEscape(value)}%`] };
    case 'sw':
      return { sql: `${lhs} like ${rhs} escape '\\'`, params: [`${likeEscape(value)}%`] };
    case 'ew':
      return { sql: `${lhs} like ${rhs} escape '\\'`, params: [`%${likeEscape(value)}`] };
    default:
      throw invalidFilter(`"${op}" does not apply to "${attrPath}": use eq, ne, co, sw, ew or pr.`);
  }
}

function toSql(filter: Filter, columns: Columns, inner: Record<string, Columns>): SqlWhere {
  switch (filter.op) {
    case 'and':
    case 'or': {
      const parts = filter.filters.map((f) => toSql(f, columns, inner));
      return {
        sql: `(${parts.map((p) => p.sql).join(` ${filter.op} `)})`,
        params: parts.flatMap((p) => p.params),
      };
    }
    case 'not': {
      const part = toSql(filter.filter, columns, inner);
      return { sql: `not coalesce(${part.sql}, false)`, params: part.params };
    }
    case '[]': {
      const sub = inner[filter.attrPath.replace(CORE_PREFIX, '').toLowerCase()];
      if (!sub) throw invalidFilter(`"${filter.attrPath}[…]" is not supported.`);
      return toSql(filter.valFilter, sub, {});
    }
    default:
      return compare(
        columnOf(columns, filter.attrPath),
        filter.op,
        'compValue' in filter ? filter.compValue : undefined,
        filter.attrPath,
      );
  }
}

/** Parses a SCIM filter (RFC 7644 §3.4.2.2) into SQL; one that does not parse is invalidFilter. */
export function parseFilter(text: string): Filter {
  if (text.length > 2000) throw invalidFilter('The filter is over 2,000 characters.');
  try {
    return parse(text);
  } catch {
    throw invalidFilter(`The filter "${text}" does not parse (RFC 7644 §3.4.2.2).`);
  }
}

export function userFilterSql(text: string | undefined): SqlWhere {
  if (text === undefined || text.trim() === '') return { sql: 'true', params: [] };
  return toSql(parseFilter(text), USER_COLUMNS, { emails: EMAIL_COLUMNS });
}

export function groupFilterSql(text: string | undefined): SqlWhere {
  if (text === undefined || text.trim() === '') return { sql: 'true', params: [] };
  return toSql(parseFilter(text), GROUP_COLUMNS, { members: MEMBER_COLUMNS });
}
