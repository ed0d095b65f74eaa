import { PERSON_COLUMNS, type PersonColumn, PROPERTY_OF } from './person-fields';
import type { Person } from './person.entity';

/**
 * Where a person's field got its value last. People arrive by several doors (an HR import, an
 * edit, a sign-in's assertion, SCIM provisioning), and when two disagree HR needs to see which
 * one spoke last before asking the system of record.
 */
export type FieldSource = 'csv' | 'edit' | 'scim' | 'sso';

/** A field of the person page: an HR column, or the roles the IdP's groups give. */
export type SourcedField = PersonColumn | 'roles';

export type FieldSources = Record<string, { source: string; at: string }>;

const SOURCE_TEXT: Readonly<Record<FieldSource, string>> = {
  csv: 'From the people import',
  edit: 'Edited by HR',
  scim: 'From the identity provider by SCIM',
  sso: 'From the identity provider at sign-in',
};

/** The person's sources with `fields` now set by `source`; the others are kept. */
export function withSources(
  current: FieldSources | null | undefined,
  fields: readonly SourcedField[],
  source: FieldSource,
  now: Date,
): FieldSources {
  const next: FieldSources = { ...current };
  for (const field of fields) next[field] = { source, at: now.toISOString() };
  return next;
}

/**
 * The columns whose value `values` (person properties; undefined leaves a field as it is)
 * would change on `person`, or every given one for a person not yet saved.
 */
export function sourcedChanges(
  person: Partial<Person> | undefined,
  values: object,
): SourcedField[] {
  const given = values as Partial<Record<string, unknown>>;
  const changed: SourcedField[] = PERSON_COLUMNS.filter((column) => {
    const next = given[PROPERTY_OF[column]];
    if (next === undefined) return false;
    return !person || (person[PROPERTY_OF[column]] ?? null) !== (next ?? null);
  });
  const roles = given.roles as readonly string[] | undefined;
  if (roles && (!person?.roles || [...person.roles].sort().join() !== [...roles].sort().join()))
    changed.push('roles');
  return changed;
}

/** "From the people import, 7 Dec 2026": who set the field last, for the person page. */
export function sourceText(
  sources: FieldSources | null | undefined,
  field: SourcedField,
  date: (iso: string) => string,
): string | null {
  const entry = sources?.[field];
  if (!entry) return null;
  const text = SOURCE_TEXT[entry.source as FieldSource] ?? entry.source;
  return `${text}, ${date(entry.at)}`;
}
