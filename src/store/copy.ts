// Moves an installation from its SQLite file to Postgres: every table of the schema, parents before children, row
// values converted by the target column's type (0/1 to boolean, JSON text to jsonb), in one Postgres transaction, so
// a failed copy leaves the target as it was. Sealed values (stored keys, the canary) are copied as the ciphertext
// they are: nothing is decrypted on the way.
import type { Database } from "bun:sqlite";
import type { SQL } from "bun";
import { getTableColumns, getTableName, is, Table } from "drizzle-orm";
import { getTableConfig } from "drizzle-orm/sqlite-core";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import type { PgTable } from "drizzle-orm/pg-core";
import { drizzleOver } from "./postgres/database.ts";
import * as pgSchema from "./postgres/schema.ts";
import * as sqliteSchema from "./sqlite/schema.ts";

export interface CopyProgress {
  table: string;
  /** Rows copied so far, all tables together. */
  copied: number;
  total: number;
}

export interface CopyOptions {
  /** Empty a target that holds rows (otherwise refused). */
  force?: boolean;
  onProgress?: (progress: CopyProgress) => void;
  /** Rows per INSERT (default 500: 45 columns x 500 stays under Postgres' 65,535 parameters). */
  pageSize?: number;
}

/** The target already holds rows and --force was not given. */
export class TargetNotEmptyError extends Error {}

interface TablePair {
  name: string;
  source: SQLiteTable;
  target: PgTable;
}

/** Every table of the schema, a table after the tables it references. */
export function copyOrder(): TablePair[] {
  const sources = Object.entries(sqliteSchema).filter(([, value]) => is(value, Table)) as [string, SQLiteTable][];
  const targets = pgSchema as unknown as Record<string, PgTable>;
  const pairs = new Map<string, TablePair>();
  for (const [exportName, source] of sources) {
    const target = targets[exportName];
    if (!target || !is(target, Table)) throw new Error(`the Postgres schema has no table '${exportName}'`);
    pairs.set(getTableName(source), { name: getTableName(source), source, target });
  }
  const ordered: TablePair[] = [];
  const placed = new Set<string>();
  const place = (pair: TablePair, path: string[]) => {
    if (placed.has(pair.name)) return;
    if (path.includes(pair.name)) throw new Error(`tables reference each other: ${[...path, pair.name].join(" -> ")}`);
    for (const foreignKey of getTableConfig(pair.source).foreignKeys) {
      const parent = getTableName(foreignKey.reference().foreignTable);
      const parentPair = pairs.get(parent);
      if (parentPair && parent !== pair.name) place(parentPair, [...path, pair.name]);
    }
    placed.add(pair.name);
    ordered.push(pair);
  };
  for (const pair of pairs.values()) place(pair, []);
  return ordered;
}

/** A SQLite value as the Postgres column (of SQL type `sqlType`) takes it. */
function converter(sqlType: string): (value: unknown) => unknown {
  if (sqlType === "boolean") return (value) => (value === null ? null : Boolean(value));
  if (sqlType === "jsonb") return (value) => (typeof value === "string" ? JSON.parse(value) : value);
  return (value) => value;
}

export async function copyStore(source: Database, target: SQL, options: CopyOptions = {}): Promise<{ rows: number; tables: number }> {
  const pageSize = options.pageSize ?? 500;
  const tables = copyOrder();
  const count = (name: string) => (source.query(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n;
  const total = tables.reduce((sum, table) => sum + count(table.name), 0);

  const occupied: string[] = [];
  for (const { name } of tables) {
    const [row] = (await target.unsafe(`SELECT count(*) AS n FROM "${name}"`)) as { n: string }[];
    if (Number(row?.n ?? 0) > 0) occupied.push(`${name} (${row?.n} rows)`);
  }
  if (occupied.length > 0 && !options.force) {
    throw new TargetNotEmptyError(`the target database is not empty: ${occupied.join(", ")}; --force empties it first`);
  }

  let copied = 0;
  await target.begin(async (tx) => {
    if (occupied.length > 0) await tx.unsafe(`TRUNCATE ${tables.map((t) => `"${t.name}"`).join(", ")} CASCADE`);
    const db = drizzleOver(tx as unknown as SQL);
    for (const table of tables) {
      const columns = Object.entries(getTableColumns(table.target)).map(([key, column]) => ({
        key,
        name: column.name,
        convert: converter(column.getSQLType()),
        serial: column.columnType === "PgBigSerial53",
      }));
      const page = source.prepare<Record<string, unknown>, [number, number]>(
        `SELECT rowid AS "__rowid", * FROM "${table.name}" WHERE rowid > ? ORDER BY rowid LIMIT ?`,
      );
      for (let after = 0; ; ) {
        const rows = page.all(after, pageSize);
        if (rows.length === 0) break;
        after = Number(rows.at(-1)?.__rowid);
        const values = rows.map((row) => Object.fromEntries(columns.map((c) => [c.key, c.convert(row[c.name] ?? null)])));
        await db.insert(table.target).values(values as never);
        copied += rows.length;
        options.onProgress?.({ table: table.name, copied, total });
      }
      // Ids were copied as they were: the sequence continues after the highest.
      for (const serial of columns.filter((c) => c.serial)) {
        await tx.unsafe(
          `SELECT setval(pg_get_serial_sequence('"${table.name}"', '${serial.name}'), COALESCE((SELECT max("${serial.name}") FROM "${table.name}"), 0) + 1, false)`,
        );
      }
    }
  });
  return { rows: copied, tables: tables.length };
}
