// The two drivers' databases, as their migrations leave them, must hold the same tables, columns, nullability,
// defaults and indexes: a migration written for one dialect and forgotten in the other fails here.
//
// Type mapping (per column, from how the SQLite drizzle schema declares it):
//   integer                  -> bigint      (epoch ms, micro-USD, counts)
//   integer, autoincrement   -> bigint with a nextval() default (bigserial)
//   integer, mode boolean    -> boolean     (SQLite default 0/1 <-> false/true)
//   text, mode json          -> jsonb
//   text                     -> text
// keyway_migrations, created by each driver's migration runner, is compared the same way. A primary-key column counts
// as NOT NULL on both sides.
import { Database } from "bun:sqlite";
import { afterAll, describe, expect, test } from "bun:test";
import { getTableColumns, getTableName, type Table } from "drizzle-orm";
import { applyPostgresMigrations, openPool } from "../../src/store/postgres/database.ts";
import { applyMigrations } from "../../src/store/sqlite/database.ts";
import * as sqliteSchema from "../../src/store/sqlite/schema.ts";
import { freshPostgresSchema, POSTGRES_URL } from "../helpers/postgres.ts";

interface Column {
  type: string;
  nullable: boolean;
  default: string | null;
}

interface Index {
  name: string;
  columns: string[];
  unique: boolean;
  partial: boolean;
}

interface Shape {
  /** table -> column -> column facts */
  columns: Record<string, Record<string, Column>>;
  /** table -> primary key columns in key order */
  primaryKeys: Record<string, string[]>;
  /** table -> indexes other than the primary key's, sorted by name (constraint-made ones named by their columns) */
  indexes: Record<string, Index[]>;
}

type SqliteColumnKind = "integer" | "serial" | "boolean" | "json" | "text";

/** How the SQLite schema declares each column: table -> column -> kind (drives the expected Postgres type). */
function declaredKinds(): Record<string, Record<string, SqliteColumnKind>> {
  const kinds: Record<string, Record<string, SqliteColumnKind>> = { keyway_migrations: { tag: "text", applied_at: "integer" } };
  for (const value of Object.values(sqliteSchema)) {
    if (typeof value !== "object" || value === null || !("getSQL" in value)) continue;
    const table = value as Table;
    const columns: Record<string, SqliteColumnKind> = {};
    for (const column of Object.values(getTableColumns(table))) {
      const c = column as unknown as { name: string; columnType: string; autoIncrement?: boolean };
      columns[c.name] =
        c.columnType === "SQLiteBoolean" ? "boolean"
        : c.columnType === "SQLiteTextJson" ? "json"
        : c.columnType === "SQLiteText" ? "text"
        : c.columnType === "SQLiteInteger" ? (c.autoIncrement ? "serial" : "integer")
        : (() => { throw new Error(`no mapping for ${getTableName(table)}.${c.name} (${c.columnType})`); })();
    }
    kinds[getTableName(table)] = columns;
  }
  return kinds;
}

const PG_TYPE: Record<SqliteColumnKind, string> = { integer: "bigint", serial: "bigint", boolean: "boolean", json: "jsonb", text: "text" };

/** A default as both dialects can be compared: Postgres casts dropped, SQLite booleans as words, serials as one word. */
function normalDefault(value: string | null, kind: SqliteColumnKind | undefined): string | null {
  if (value === null) return kind === "serial" ? "serial" : null;
  let text = value.replace(/::[a-z ]+(\[\])?$/i, "");
  if (/^nextval\(/.test(text)) return "serial";
  if (kind === "boolean") text = text === "1" || text === "true" ? "true" : text === "0" || text === "false" ? "false" : text;
  return text;
}

function constraintName(table: string, columns: string[], unique: boolean): string {
  return `(${unique ? "unique" : "index"} on ${table}(${columns.join(", ")}))`;
}

function sqliteShape(db: Database, kinds: Record<string, Record<string, SqliteColumnKind>>): Shape {
  const shape: Shape = { columns: {}, primaryKeys: {}, indexes: {} };
  const tables = db.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[];
  for (const { name: table } of tables) {
    const info = db.query(`PRAGMA table_info("${table}")`).all() as { name: string; type: string; notnull: number; dflt_value: string | null; pk: number }[];
    shape.columns[table] = {};
    for (const column of info) {
      const kind = kinds[table]?.[column.name];
      // A primary-key column counts as NOT NULL, as Postgres makes it (SQLite's legacy rule lets a non-integer key
      // hold NULL unless declared NOT NULL; keyway never writes one).
      const key = column.pk > 0;
      shape.columns[table][column.name] = {
        type: kind ? PG_TYPE[kind] : `unmapped sqlite ${column.type}`,
        nullable: column.notnull === 0 && !key,
        default: normalDefault(column.dflt_value, kind),
      };
    }
    shape.primaryKeys[table] = info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
    const list = db.query(`PRAGMA index_list("${table}")`).all() as { name: string; unique: number; origin: string; partial: number }[];
    shape.indexes[table] = list
      .filter((index) => index.origin !== "pk")
      .map((index) => {
        const columns = (db.query(`PRAGMA index_info("${index.name}")`).all() as { seqno: number; name: string | null }[])
          .sort((a, b) => a.seqno - b.seqno)
          .map((c) => c.name ?? "(expression)");
        const unique = index.unique === 1;
        return { name: index.origin === "c" ? index.name : constraintName(table, columns, unique), columns, unique, partial: index.partial === 1 };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }
  return shape;
}

async function postgresShape(sql: ReturnType<typeof openPool>, schema: string): Promise<Shape> {
  const shape: Shape = { columns: {}, primaryKeys: {}, indexes: {} };
  const columns = (await sql`
    SELECT c.table_name, c.column_name, c.data_type, c.is_nullable, c.column_default
    FROM information_schema.columns c JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
    WHERE c.table_schema = ${schema} AND t.table_type = 'BASE TABLE'
    ORDER BY c.table_name, c.ordinal_position`) as { table_name: string; column_name: string; data_type: string; is_nullable: string; column_default: string | null }[];
  const kinds = declaredKinds();
  for (const column of columns) {
    shape.columns[column.table_name] ??= {};
    shape.primaryKeys[column.table_name] ??= [];
    shape.indexes[column.table_name] ??= [];
    shape.columns[column.table_name]![column.column_name] = {
      type: column.data_type,
      nullable: column.is_nullable === "YES",
      default: normalDefault(column.column_default, kinds[column.table_name]?.[column.column_name]),
    };
  }
  // pg_indexes names each index and its table; pg_index (same indexes) gives their columns in order, uniqueness,
  // whether a constraint made them, and whether they are partial, without parsing CREATE INDEX text.
  const indexes = (await sql`
    SELECT pi.tablename AS table, pi.indexname AS name, ix.indisunique AS unique, ix.indisprimary AS primary,
      ix.indpred IS NOT NULL AS partial,
      EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = ix.indexrelid) AS constraint,
      array(SELECT coalesce(a.attname, '(expression)') FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, ord)
            LEFT JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns
    FROM pg_indexes pi
    JOIN pg_namespace n ON n.nspname = pi.schemaname
    JOIN pg_class i ON i.relname = pi.indexname AND i.relnamespace = n.oid
    JOIN pg_index ix ON ix.indexrelid = i.oid
    WHERE pi.schemaname = ${schema}`) as { table: string; name: string; unique: boolean; primary: boolean; partial: boolean; constraint: boolean; columns: string[] }[];
  for (const index of indexes) {
    const columns = [...index.columns];
    if (index.primary) {
      shape.primaryKeys[index.table] = columns;
      continue;
    }
    (shape.indexes[index.table] ??= []).push({
      name: index.constraint ? constraintName(index.table, columns, index.unique) : index.name,
      columns,
      unique: index.unique,
      partial: index.partial,
    });
  }
  for (const list of Object.values(shape.indexes)) list.sort((a, b) => a.name.localeCompare(b.name));
  return shape;
}

const fresh = await freshPostgresSchema("parity");
const pool = openPool({ url: POSTGRES_URL, schema: fresh.schema, poolSize: 1 });
afterAll(async () => {
  await pool.close();
  await fresh.drop();
});

describe("schema parity between the SQLite and Postgres migrations", () => {
  test("same tables, columns, types (under the mapping), nullability, defaults, primary keys and indexes", async () => {
    const sqlite = new Database(":memory:", { strict: true });
    applyMigrations(sqlite);
    await applyPostgresMigrations(pool);
    const expected = sqliteShape(sqlite, declaredKinds());
    const actual = await postgresShape(pool, fresh.schema);
    sqlite.close();

    expect(Object.keys(actual.columns).sort()).toEqual(Object.keys(expected.columns).sort());
    expect(Object.keys(expected.columns).length).toBeGreaterThan(10);
    for (const table of Object.keys(expected.columns)) {
      expect({ table, columns: actual.columns[table] }).toEqual({ table, columns: expected.columns[table]! });
      expect({ table, primaryKey: actual.primaryKeys[table] }).toEqual({ table, primaryKey: expected.primaryKeys[table]! });
      expect({ table, indexes: actual.indexes[table] }).toEqual({ table, indexes: expected.indexes[table]! });
    }
  });

  test("the comparison notices a difference (a column and an index added on one side only)", async () => {
    const sqlite = new Database(":memory:", { strict: true });
    applyMigrations(sqlite);
    await pool.unsafe("ALTER TABLE settings ADD COLUMN stray bigint");
    await pool.unsafe("CREATE INDEX settings_stray_idx ON settings (stray)");
    try {
      const expected = sqliteShape(sqlite, declaredKinds());
      const actual = await postgresShape(pool, fresh.schema);
      expect(actual.columns.settings).not.toEqual(expected.columns.settings!);
      expect(actual.indexes.settings).not.toEqual(expected.indexes.settings!);
    } finally {
      await pool.unsafe("DROP INDEX settings_stray_idx");
      await pool.unsafe("ALTER TABLE settings DROP COLUMN stray");
      sqlite.close();
    }
  });
});
