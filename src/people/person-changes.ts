import { PERSON_COLUMNS, type PersonColumn, type PersonFields, PROPERTY_OF } from './person-fields';
import type { Person } from './person.entity';

/**
 * The columns whose value `fields` would change on `person`, in the documented order. Fields
 * left undefined change nothing; null and an absent value are the same.
 */
export function changedColumns(person: Person, fields: PersonFields): PersonColumn[] {
  return PERSON_COLUMNS.filter((column) => {
    const property = PROPERTY_OF[column];
    const next = fields[property];
    if (next === undefined) return false;
    return (person[property] ?? null) !== (next ?? null);
  });
}
