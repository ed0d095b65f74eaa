/**
 * A list of values as one PostgreSQL array literal (`{"a","b"}`), for a statement to read as
 * `= any(?::uuid[])`. The planner sees a constant array and knows how many values it holds, so
 * one person's rows come from the index. A list read through `jsonb_array_elements_text(?)`
 * instead is a set-returning function the planner guesses at 100 rows, and it then scanned
 * whole tables: every signature read every completion, view and assignment ever recorded.
 *
 * Each element is double-quoted with `"` and `\` escaped (PostgreSQL: 8.15.2, Array Value
 * Input), so any text is one element and nothing it holds can end the literal.
 */
export function sqlArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}
