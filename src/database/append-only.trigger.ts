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

/**
 * The transaction-local setting that only the retention service sets (src/retention/), in the
 * transaction that also appends the purge's audit event. It opens nothing by itself but what
 * {@link purgeableAppendOnlyTrigger} and the audit log's trigger allow.
 */
export const RETENTION_PURGE_SETTING = 'attest.retention_purge';

/**
 * Append-only, except for the one narrow way past it: a DELETE inside a retention purge, when
 * the record's retention period has run out (policies/retention.yml). Every UPDATE is still
 * refused, and so is every DELETE outside a purge.
 */
export function purgeableAppendOnlyTrigger(name: string) {
  return {
    ...appendOnlyTrigger(name),
    body: `if tg_op = 'DELETE' and current_setting('${RETENTION_PURGE_SETTING}', true) = 'on' then return old; end if; raise exception 'table % is append-only: % is not allowed', tg_table_name, tg_op using errcode = 'restrict_violation';`,
  };
}
