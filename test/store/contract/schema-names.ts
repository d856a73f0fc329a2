// The naming rule every dialect's schema follows: a table or column is named the snake_case of its property, so the
// contracts' row properties alone decide the SQL names and two dialects cannot name a column differently.
import { getTableColumns, getTableName, is, Table } from "drizzle-orm";

/** latencyMsSum -> latency_ms_sum; a number ends a word too: latencyBucket12 -> latency_bucket_12. */
export const snakeCase = (property: string) =>
  property.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`).replace(/(?<=[a-z])(?=\d)/g, "_");

/** Tables and `table.column`s of a schema module that break the rule. */
export function misnamed(schema: Record<string, unknown>): string[] {
  const wrong: string[] = [];
  for (const [property, table] of Object.entries(schema)) {
    if (!is(table, Table)) continue;
    if (getTableName(table) !== snakeCase(property)) wrong.push(`${getTableName(table)} (export ${property})`);
    for (const [key, column] of Object.entries(getTableColumns(table))) {
      if (column.name !== snakeCase(key)) wrong.push(`${getTableName(table)}.${column.name} (property ${key})`);
    }
  }
  return wrong;
}
