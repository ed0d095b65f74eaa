/**
 * Evidence tables (signatures, document versions, completions, waivers, samples, ...) are
 * append-only: the database itself refuses to change or remove their rows, as it does for the
 * audit log. A truncate guard belongs in the migration, written by hand, as for audit_event (the
 * introspection does not see it).
 */
export function appendOnlyTrigger(name: string) {
  return {
    name,
    timing: 'before' as const,
    events: ['update' as const, 'delete' as const],
    forEach: 'row' as const,
    body: `raise exception 'table % is append-only: % is not allowed', tg_table_name, tg_op using errcode = 'restrict_violation';`,
  };
}
