// `keyway store copy` as a real process: every table of a SQLite database (rows generated for each column type)
// arrives in a fresh Postgres schema with the same values; sealed values are copied byte for byte; a non-empty target
// is refused without --force and emptied with it; progress goes to stderr.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getTableColumns } from "drizzle-orm";
import { copyOrder } from "../../src/store/copy.ts";
import { openPool } from "../../src/store/postgres/database.ts";
import { openDatabase } from "../../src/store/sqlite/database.ts";
import { freshPostgresSchema, POSTGRES_URL } from "../helpers/postgres.ts";

const MAIN = join(import.meta.dir, "../../src/main.ts");
const dir = mkdtempSync(join(tmpdir(), "keyway-store-copy-"));
const fresh = await freshPostgresSchema("copy");
afterAll(async () => {
  await fresh.drop();
  rmSync(dir, { recursive: true, force: true });
});

function urlIn(schema: string): string {
  const url = new URL(POSTGRES_URL);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return url.toString();
}

async function keyway(args: string[]) {
  const proc = Bun.spawn([process.execPath, MAIN, ...args], { stdout: "pipe", stderr: "pipe" });
  const [out, err] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  return { code: await proc.exited, out, err };
}

const ROWS_PER_TABLE = 3;
/** A sealed value as the vault writes it; it must arrive unchanged. */
const SEALED = "v1:k1:bm9uY2U=:Y2lwaGVydGV4dC1ieXRlcw==";

/** Fills every table with generated rows: ids and references `id_<n>`, numbers, flags, JSON by column type. */
function seedSqlite(path: string): void {
  const { sqlite, close } = openDatabase(path);
  try {
    for (const { name, source } of copyOrder()) {
      const columns = Object.values(getTableColumns(source));
      for (let n = 1; n <= ROWS_PER_TABLE; n++) {
        const values = columns.map((column) => {
          if (column.name === "ciphertext" || column.name === "value") return SEALED;
          switch (column.columnType) {
            case "SQLiteInteger":
              return column.primary ? n : n * 1_000 + column.name.length;
            case "SQLiteBoolean":
              return n % 2;
            case "SQLiteTextJson":
              return JSON.stringify(n === 1 ? ["10.0.0.0/8", "123"] : { n, nested: { text: "=HYPERLINK()", flag: true } });
            default:
              return column.name === "id" || column.name.endsWith("_id") || column.name === "key" || column.name === "instance_id" ? `id_${n}` : `${column.name} ${n}`;
          }
        });
        sqlite.prepare(`INSERT INTO "${name}" (${columns.map((c) => `"${c.name}"`).join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`).run(...(values as never[]));
      }
    }
  } finally {
    close();
  }
}

/** Every row of every table, read back as JS values, in a stable order. */
async function postgresRows(schema: string) {
  const pool = openPool({ url: POSTGRES_URL, schema, poolSize: 1 });
  try {
    const tables: Record<string, unknown[]> = {};
    for (const { name, target } of copyOrder()) {
      const columns = Object.values(getTableColumns(target));
      const rows = (await pool.unsafe(`SELECT * FROM "${name}"`)) as Record<string, unknown>[];
      tables[name] = rows
        .map((row) => Object.fromEntries(columns.map((c) => [c.name, c.columnType.startsWith("PgBigInt") || c.columnType.startsWith("PgBigSerial") ? Number(row[c.name]) : row[c.name]])))
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    }
    return tables;
  } finally {
    await pool.close();
  }
}

/** The same, expected from the SQLite rows: flags as booleans, JSON parsed. */
function sqliteRows(path: string) {
  const { sqlite, close } = openDatabase(path);
  try {
    const tables: Record<string, unknown[]> = {};
    for (const { name, source } of copyOrder()) {
      const columns = Object.values(getTableColumns(source));
      tables[name] = (sqlite.query(`SELECT * FROM "${name}"`).all() as Record<string, unknown>[])
        .map((row) =>
          Object.fromEntries(
            columns.map((c) => {
              const value = row[c.name];
              if (value === null) return [c.name, null];
              if (c.columnType === "SQLiteBoolean") return [c.name, Boolean(value)];
              if (c.columnType === "SQLiteTextJson") return [c.name, JSON.parse(String(value))];
              return [c.name, value];
            }),
          ),
        )
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    }
    return tables;
  } finally {
    close();
  }
}

describe("keyway store copy", () => {
  const source = join(dir, "keyway.db");
  seedSqlite(source);

  test("copies every table, values converted by column type and sealed values unchanged, with progress on stderr", async () => {
    const run = await keyway(["store", "copy", "--from", source, "--to", urlIn(fresh.schema)]);
    expect(run.err).toContain("100%");
    expect(run.code).toBe(0);
    const tables = copyOrder().length;
    expect(run.out).toContain(`copied ${tables * ROWS_PER_TABLE} rows of ${tables} tables`);
    const expected = sqliteRows(source);
    const copied = await postgresRows(fresh.schema);
    expect(Object.keys(copied).sort()).toEqual(Object.keys(expected).sort());
    for (const name of Object.keys(expected)) expect({ [name]: copied[name] }).toEqual({ [name]: expected[name] });
    expect((copied.provider_keys as { ciphertext: string }[]).map((r) => r.ciphertext)).toEqual([SEALED, SEALED, SEALED]);
  });

  test("a target holding rows is refused without --force, and emptied then filled with it; serial ids continue", async () => {
    const refused = await keyway(["store", "copy", "--from", source, "--to", urlIn(fresh.schema)]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain("the target database is not empty");
    expect(refused.err).toContain("--force");
    const forced = await keyway(["store", "copy", "--from", source, "--to", urlIn(fresh.schema), "--force"]);
    expect(forced.code).toBe(0);
    const copied = await postgresRows(fresh.schema);
    expect(copied.accounts).toHaveLength(ROWS_PER_TABLE);
    const pool = openPool({ url: POSTGRES_URL, schema: fresh.schema, poolSize: 1 });
    try {
      const [row] = (await pool.unsafe(
        `INSERT INTO usage_records (request_id, account_id, api_key_id, endpoint, byok, status, attempts, latency_ms, created_at)
         VALUES ('next', 'id_1', 'id_1', '/v1/chat/completions', true, 200, 1, 5, 1) RETURNING id`,
      )) as { id: string }[];
      expect(Number(row?.id)).toBe(ROWS_PER_TABLE + 1);
    } finally {
      await pool.close();
    }
  });

  test("bad arguments and an unreachable target are clear errors", async () => {
    expect((await keyway(["store", "copy", "--to", urlIn(fresh.schema)])).err).toContain("--from FILE");
    expect((await keyway(["store", "copy", "--from", join(dir, "missing.db"), "--to", urlIn(fresh.schema)])).err).toContain("no SQLite database");
    expect((await keyway(["store", "copy", "--from", source, "--to", "mysql://x"])).err).toContain("postgres://");
    const unreachable = await keyway(["store", "copy", "--from", source, "--to", "postgres://keyway:s3cret-pass@127.0.0.1:1/keyway"]);
    expect(unreachable.code).toBe(2);
    expect(unreachable.err).toContain("127.0.0.1:1");
    expect(unreachable.err).not.toContain("s3cret-pass");
  });
});
