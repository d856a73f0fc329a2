// Raw SQL for the hot paths, built from the drizzle table definitions (schema.ts) so column names and order are
// never listed twice: a cached prepared batch insert, and a select list that reads rows back under their property names.
import type { Database } from "bun:sqlite";
import { getTableColumns, getTableName } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";

type SqlValue = string | number | bigint | boolean | null | Uint8Array;

/** The table's SQL name and each property's column name. */
export function sqlNames<T extends SQLiteTable>(table: T): { table: string; column: Record<keyof T["_"]["columns"], string> } {
  const column = Object.fromEntries(Object.entries(getTableColumns(table)).map(([key, col]) => [key, col.name]));
  return { table: getTableName(table), column: column as Record<keyof T["_"]["columns"], string> };
}

/** `column AS property, ...` for every column, in schema order (for tables without boolean or JSON columns). */
export function selectList(table: SQLiteTable): string {
  return Object.entries(getTableColumns(table))
    .map(([key, col]) => (col.name === key ? col.name : `${col.name} AS ${key}`))
    .join(", ");
}

/**
 * An insert of one row through one cached prepared statement: every column in schema order, a missing (or null)
 * value taking the column's default, else NULL (which numbers an integer primary key), each value encoded
 * as drizzle encodes it (booleans as 0/1, JSON as text).
 */
export function preparedRowInsert<T extends SQLiteTable>(sqlite: Database, table: T): (row: T["$inferInsert"]) => void {
  const columns = Object.entries(getTableColumns(table)).map(([key, col]) => ({
    key,
    fallback: col.hasDefault && col.default !== undefined ? (col.mapToDriverValue(col.default) as SqlValue) : null,
    encode: (value: unknown) => col.mapToDriverValue(value) as SqlValue,
  }));
  const statement = sqlite.prepare<never, SqlValue[]>(
    `INSERT INTO ${getTableName(table)} (${Object.values(getTableColumns(table)).map((col) => col.name).join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`,
  );
  const values = (row: Record<string, unknown>): SqlValue[] =>
    columns.map(({ key, fallback, encode }) => {
      const value = row[key];
      return value === undefined || value === null ? fallback : encode(value);
    });
  return (row) => {
    statement.run(...values(row as Record<string, unknown>));
  };
}

/** A batch insert of rows in one transaction through one cached prepared statement (see preparedRowInsert). */
export function preparedInsert<T extends SQLiteTable>(sqlite: Database, table: T): (rows: T["$inferInsert"][]) => void {
  const insertRow = preparedRowInsert(sqlite, table);
  return sqlite.transaction((rows: T["$inferInsert"][]) => {
    for (const row of rows) insertRow(row);
  });
}
