// Raw SQL for the hot paths, built from the drizzle table definitions (schema.ts) so column names and order are
// never listed twice: a cached prepared batch insert, and a select list that reads rows back under their property names.
import type { Database } from "bun:sqlite";
import { Column, getTableColumns, getTableName } from "drizzle-orm";
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

/** How many rows one insert statement carries at most (a longer batch takes several). */
const ROWS_PER_INSERT = 16;

/** Whether drizzle converts the column's values for the driver (booleans, JSON, timestamps); text and numbers pass as they are. */
function converts(col: Column): boolean {
  return col.mapToDriverValue !== Column.prototype.mapToDriverValue;
}

/**
 * Inserts of rows through cached prepared statements of up to `ROWS_PER_INSERT` rows each (`VALUES (..), (..)`):
 * every column in schema order, a missing (or null) value taking the column's default, else NULL (which numbers an
 * integer primary key), each value encoded as drizzle encodes it (booleans as 0/1, JSON as text). A statement's
 * own cost (binding, stepping, resetting) is paid once for up to 16 rows instead of once a row; each length's
 * statement is prepared the first time a batch of that length comes. Its values are laid out in one array per
 * statement, reused by the next batch of that length (the values of the last batch stay referenced until then).
 */
export function preparedRowsInsert<T extends SQLiteTable>(sqlite: Database, table: T): (rows: readonly T["$inferInsert"][]) => void {
  const columns = Object.entries(getTableColumns(table));
  const width = columns.length;
  const keys = columns.map(([key]) => key);
  const fallbacks = columns.map(([, col]) => (col.hasDefault && col.default !== undefined ? (col.mapToDriverValue(col.default) as SqlValue) : null));
  const encoders = columns.map(([, col]) => (converts(col) ? (value: unknown) => col.mapToDriverValue(value) as SqlValue : undefined));
  const head = `INSERT INTO ${getTableName(table)} (${columns.map(([, col]) => col.name).join(", ")}) VALUES `;
  const tuple = `(${columns.map(() => "?").join(", ")})`;
  const statements: ReturnType<typeof sqlite.prepare<never, SqlValue[]>>[] = [];
  const valueLists: SqlValue[][] = [];
  const statementFor = (count: number) =>
    (statements[count] ??= sqlite.prepare<never, SqlValue[]>(head + Array.from({ length: count }, () => tuple).join(", ")));
  return (rows) => {
    for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
      const count = Math.min(rows.length - start, ROWS_PER_INSERT);
      const values = (valueLists[count] ??= new Array<SqlValue>(count * width));
      let at = 0;
      for (let index = start; index < start + count; index++) {
        const row = rows[index] as Record<string, unknown>;
        for (let column = 0; column < width; column++) {
          const value = row[keys[column] as string];
          const encode = encoders[column];
          values[at++] = value === undefined || value === null ? (fallbacks[column] as SqlValue) : encode === undefined ? (value as SqlValue) : encode(value);
        }
      }
      statementFor(count).run(...values);
    }
  };
}

/** An insert of one row (see preparedRowsInsert). */
export function preparedRowInsert<T extends SQLiteTable>(sqlite: Database, table: T): (row: T["$inferInsert"]) => void {
  const insertRows = preparedRowsInsert(sqlite, table);
  return (row) => insertRows([row]);
}

/** A batch insert of rows in one transaction (see preparedRowsInsert). */
export function preparedInsert<T extends SQLiteTable>(sqlite: Database, table: T): (rows: T["$inferInsert"][]) => void {
  return sqlite.transaction(preparedRowsInsert(sqlite, table));
}
